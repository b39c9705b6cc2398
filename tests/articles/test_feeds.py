"""RSS 2.0 and Atom feeds, parsed as a feed reader would: site-wide, per
series and per special issue, full cleaned text, every author, categories,
dates; only what the public may read; a fixed number of queries."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from html import unescape
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    ImageFactory,
    SeriesFactory,
    not_public_states,
)

pytestmark = pytest.mark.django_db

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
A = f"{{{ATOM}}}"


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def parse(response):
    """The feed's root element, and the namespaces it declares ({prefix: uri})."""
    declared = dict(ns for _event, ns in ET.iterparse(BytesIO(response.content), events=["start-ns"]))
    return ET.fromstring(response.content), declared


@pytest.fixture
def issue():
    """奋进, a special issue with its column 百千万: an article in the column
    (two authors, a cover, a picture and links in its text), one directly in
    the special issue, and one in another series."""
    special = SeriesFactory(name="奋进", intro="江门日报特别策划")
    column = SeriesFactory(name="百千万", parent=special)
    picture = ImageFactory(size=(1000, 500), alt="侨乡村新貌")
    body = (
        '<p>详见<a href="/articles/heshan/">鹤山专题</a>和'
        '<a href="https://www.jmrb.com/" rel="noopener noreferrer">江门日报网</a>。</p>'
        f'<figure class="image"><img src="{picture.file.url}" alt="侨乡村">'
        "<figcaption>侨乡村新貌。</figcaption></figure>"
        "<p>“百千万工程”是一项系统工程。</p>"
    )
    lead = ArticleFactory(
        series=column,
        title="以“头号力度”拼出“头号工程”新图景",
        subtitle="江门全力推进“百千万工程”",
        summary="江门以“头号力度”推进“百千万工程”。",
        cover=ImageFactory(size=(1000, 500)),
        body=body,
    )
    BylineFactory(article=lead, contributor=ContributorFactory(name="赵可义"), role="文")
    BylineFactory(article=lead, contributor=ContributorFactory(name="李华"), role="图")
    own = ArticleFactory(series=special, title="奋进开篇", publish_at=timezone.now() - timedelta(hours=3))
    elsewhere = ArticleFactory(
        series=SeriesFactory(name="侨乡"), title="侨乡新貌", publish_at=timezone.now() - timedelta(hours=2)
    )
    return {"special": special, "column": column, "lead": lead, "own": own, "elsewhere": elsewhere}


# --- RSS 2.0 ---------------------------------------------------------------------------


def test_rss_is_rss_2_with_the_content_and_dublin_core_namespaces(client, issue):
    response = fetch(client, reverse("articles:feed-latest"))
    assert response["Content-Type"].startswith("application/rss+xml")
    rss, declared = parse(response)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    assert declared["content"] == CONTENT and declared["dc"] == DC and declared["atom"] == ATOM
    channel = rss.find("channel")
    assert channel.findtext("link") == "http://testserver/"
    assert channel.find(f"{A}link").get("href") == "http://testserver/feeds/latest/"
    assert [item.findtext("title") for item in channel.findall("item")] == [
        escape("以“头号力度”拼出“头号工程”新图景"),
        "侨乡新貌",
        "奋进开篇",
    ]


def test_rss_item_carries_abstract_full_text_authors_categories_and_dates(client, issue):
    rss, _ = parse(fetch(client, reverse("articles:feed-latest")))
    item = rss.find("channel/item")
    lead = issue["lead"]
    assert item.findtext("link") == f"http://testserver{lead.get_absolute_url()}"
    assert item.findtext("guid") == item.findtext("link")
    assert item.findtext("description") == escape(lead.summary)  # the abstract, escaped once
    assert [c.text for c in item.findall(f"{{{DC}}}creator")] == ["赵可义", "李华"]  # every byline, in order
    assert [c.text for c in item.findall("category")] == ["百千万", "奋进"]  # the column, then its special issue
    assert item.findtext("pubDate")
    assert item.findtext(f"{{{DCTERMS}}}modified")
    assert_full_text(item.findtext(f"{{{CONTENT}}}encoded"), lead)


def test_rss_description_falls_back_to_the_opening_of_the_text(client, issue):
    rss, _ = parse(fetch(client, reverse("articles:series-feed", kwargs={"slug": "qiao-xiang"})))
    assert rss.find("channel/item").findtext("description") == escape(issue["elsewhere"].abstract) == "正文。"


def assert_full_text(html: str, article):
    """The cleaned body for a reader away from this site: links and pictures
    absolute, pictures a plain <img> of a rendition, never the upload."""
    assert "“百千万工程”是一项系统工程。" in html
    assert '<a href="http://testserver/articles/heshan/">鹤山专题</a>' in html
    assert '<a href="https://www.jmrb.com/" rel="noopener noreferrer">江门日报网</a>' in html
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == 2  # the cover, and the picture in the text
    for img in images:
        src = re.search(r'src="([^"]*)"', img).group(1)
        assert src.startswith("http://testserver/media/renditions/") and src.endswith(".jpg"), img
        assert 'width="960"' in img and 'height="480"' in img
    assert 'alt="侨乡村"' in html  # the text's own alt text kept
    assert "<picture" not in html and "srcset" not in html and "/media/images/" not in html


# --- Atom ------------------------------------------------------------------------------


def test_atom_feed(client, issue):
    response = fetch(client, reverse("articles:feed-latest-atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed, declared = parse(response)
    assert feed.tag == f"{A}feed" and declared[""] == ATOM
    assert feed.findtext(f"{A}title") == "江门日报 Newsroom"
    assert feed.find(f"{A}link[@rel='self']").get("href") == "http://testserver/feeds/latest/atom/"
    assert feed.findtext(f"{A}author/{A}name") == "江门日报社"  # for entries without a byline
    assert feed.findtext(f"{A}updated")
    entry = feed.find(f"{A}entry")
    lead = issue["lead"]
    assert entry.findtext(f"{A}title") == lead.title  # text, not escaped
    assert entry.find(f"{A}link").get("href") == f"http://testserver{lead.get_absolute_url()}"
    assert entry.findtext(f"{A}id") == f"http://testserver{lead.get_absolute_url()}"
    assert entry.findtext(f"{A}published") and entry.findtext(f"{A}updated")
    summary = entry.find(f"{A}summary")
    assert summary.get("type") == "html" and summary.text == escape(lead.summary)
    authors = [(a.findtext(f"{A}name"), a.findtext(f"{A}uri")) for a in entry.findall(f"{A}author")]
    assert authors == [
        ("赵可义", "http://testserver/contributors/zhao-ke-yi/"),
        ("李华", "http://testserver/contributors/li-hua/"),
    ]
    assert [c.get("term") for c in entry.findall(f"{A}category")] == ["百千万", "奋进"]
    content = entry.find(f"{A}content")
    assert content.get("type") == "html"
    assert_full_text(content.text, lead)


# --- per series and per special issue ------------------------------------------------


@pytest.mark.parametrize("atom", [False, True], ids=["rss", "atom"])
def test_a_special_issue_feed_holds_its_columns_articles(client, issue, atom):
    name = "articles:series-feed-atom" if atom else "articles:series-feed"
    titles = {}
    for key in ("special", "column"):
        root, _ = parse(fetch(client, reverse(name, kwargs={"slug": issue[key].slug})))
        found = root.findall(f"{A}entry/{A}title") if atom else root.findall("channel/item/title")
        titles[key] = [unescape(t.text) for t in found]
    assert titles["special"] == [issue["lead"].title, "奋进开篇"]
    assert titles["column"] == [issue["lead"].title]


def test_series_feed_describes_its_series(client, issue):
    rss, _ = parse(fetch(client, reverse("articles:series-feed", kwargs={"slug": issue["special"].slug})))
    channel = rss.find("channel")
    assert channel.findtext("title") == "奋进 - 江门日报 Newsroom"
    assert channel.findtext("link") == "http://testserver/series/fen-jin/"
    assert channel.findtext("description") == "江门日报特别策划"
    atom, _ = parse(fetch(client, reverse("articles:series-feed-atom", kwargs={"slug": issue["special"].slug})))
    assert atom.findtext(f"{A}subtitle") == "江门日报特别策划"


@pytest.mark.parametrize("name", ["articles:series-feed", "articles:series-feed-atom"])
def test_unknown_series_feed_is_404(client, db, name):
    assert client.get(reverse(name, kwargs={"slug": "no-such-series"})).status_code == 404


FEEDS = ["feed-latest", "feed-latest-atom", "series-feed", "series-feed-atom"]


@pytest.mark.parametrize("state", not_public_states())
def test_articles_the_public_cannot_read_are_in_no_feed(client, issue, state):
    hidden = ArticleFactory(series=issue["column"], title="不公开的稿件", **not_public_states()[state])
    for name in FEEDS:
        kwargs = {"slug": issue["special"].slug} if name.startswith("series") else {}
        content = fetch(client, reverse(f"articles:{name}", kwargs=kwargs)).content.decode()
        assert issue["lead"].slug in content, name
        assert hidden.title not in content and hidden.slug not in content, name


# --- a fixed number of queries -------------------------------------------------------


def fill(n_articles: int):
    """Articles in a column, each with a cover, a picture in its text and two authors."""
    column = SeriesFactory(name="百千万", parent=SeriesFactory(name="奋进"))
    for _ in range(n_articles):
        article = ArticleFactory(
            series=column,
            cover=ImageFactory(size=(400, 300)),
            body=f'<p>文</p><p><img src="{ImageFactory(size=(400, 300)).file.url}" alt=""></p>',
        )
        BylineFactory(article=article)
        BylineFactory(article=article)
    return column


@pytest.mark.parametrize("size", [1, 6], ids=["small", "large"])
@pytest.mark.parametrize("name", FEEDS)
def test_feed_queries(client, django_assert_num_queries, size, name):
    column = fill(size)
    series_feed = name.startswith("series")
    url = reverse(f"articles:{name}", kwargs={"slug": column.parent.slug} if series_feed else {})
    # (the series), the articles with series, special issue and cover, their bylines, the text's pictures
    with django_assert_num_queries(4 if series_feed else 3):
        response = client.get(url)
    assert response.content.decode().count("/media/renditions/") == 2 * size
