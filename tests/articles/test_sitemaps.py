"""Sitemaps, parsed: the index and its sections (home, series, articles,
contributors), the Google News sitemap; only public content; every section
paged through the index; a fixed number of queries however large the site;
kept by the page cache and fresh on the next request after a publication."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, Series
from articles.sitemaps import INDEX, PAGE_SIZE, ArticleSitemap, SlugSitemap
from pagecache.middleware import HEADER
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CreditFactory,
    SeriesFactory,
    not_public_states,
)

pytestmark = pytest.mark.django_db

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
S, N = f"{{{SITEMAP}}}", f"{{{NEWS}}}"
SECTIONS = ["pages", "series", "articles", "contributors", "news"]


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def locations(client, url) -> list[str]:
    root = xml(client, url)
    assert root.tag == f"{S}urlset"
    return [loc.text.removeprefix("http://testserver") for loc in root.iter(f"{S}loc")]


@pytest.fixture
def site():
    """奋进 with its column 百千万 (one article, by 赵可义, credits on the special
    issue and the article), and a series with nothing public in it."""
    special = SeriesFactory(name="奋进")
    column = SeriesFactory(name="百千万", parent=special)
    article = ArticleFactory(series=column, title="以“头号力度”拼出“头号工程”新图景")
    BylineFactory(article=article, contributor=ContributorFactory(name="赵可义"))
    CreditFactory(article=article, contributor=ContributorFactory(name="陈编辑"), role="责任编辑")
    CreditFactory(series=special, contributor=ContributorFactory(name="张永源"), role="出品人")
    empty = SeriesFactory(name="空专题")
    draft = ArticleFactory(series=empty, draft=True)
    BylineFactory(article=draft, contributor=ContributorFactory(name="只写草稿的人"))
    CreditFactory(series=empty, contributor=ContributorFactory(name="空专题的策划"), role="总策划")
    return {"special": special, "column": column, "article": article, "empty": empty}


def test_the_index_names_every_section(client, site):
    root = xml(client, reverse("articles:sitemap"))
    assert root.tag == f"{S}sitemapindex"
    listed = [loc.text for loc in root.iter(f"{S}loc")]
    assert listed == [f"http://testserver/sitemap-{section}.xml" for section in SECTIONS]
    assert all(entry.findtext(f"{S}lastmod") for entry in root.findall(f"{S}sitemap")[:3])
    for url in listed:  # each one answers
        assert client.get(url.removeprefix("http://testserver")).status_code == 200


def test_sections_list_home_series_articles_and_contributors(client, site):
    assert locations(client, "/sitemap-pages.xml") == ["/"]
    # The special issue is listed although its articles are all in its column.
    assert sorted(locations(client, "/sitemap-series.xml")) == sorted(
        [site["special"].get_absolute_url(), site["column"].get_absolute_url()]
    )
    assert locations(client, "/sitemap-articles.xml") == [site["article"].get_absolute_url()]
    # Bylines, credits on a public article, credits on a series with public articles.
    assert sorted(locations(client, "/sitemap-contributors.xml")) == sorted(
        ["/contributors/zhao-ke-yi/", "/contributors/chen-bian-ji/", "/contributors/zhang-yong-yuan/"]
    )


def test_articles_carry_when_they_last_changed(client, site):
    url = xml(client, "/sitemap-articles.xml").find(f"{S}url")
    lastmod = datetime.fromisoformat(url.findtext(f"{S}lastmod"))
    assert lastmod == site["article"].updated_at


def test_a_series_changes_with_its_articles_and_its_columns_articles(client, site):
    """A series' lastmod: its own change, or its newest public article's, or (a special
    issue) its columns'; an article counts from when it went out, if later than its last edit."""
    start = timezone.now() - timedelta(days=1)
    hour = timedelta(hours=1)
    Series.objects.update(updated_at=start)
    Article.objects.filter(pk=site["article"].pk).update(updated_at=start + hour, publish_at=start + 2 * hour)

    def lastmods():
        root = xml(client, "/sitemap-series.xml")
        found = {url.findtext(f"{S}loc"): url.findtext(f"{S}lastmod") for url in root.findall(f"{S}url")}
        return {loc.removeprefix("http://testserver"): datetime.fromisoformat(date) for loc, date in found.items()}

    special, column = site["special"].get_absolute_url(), site["column"].get_absolute_url()
    assert lastmods() == {special: start + 2 * hour, column: start + 2 * hour}
    own = ArticleFactory(series=site["special"])
    Article.objects.filter(pk=own.pk).update(updated_at=start + 3 * hour, publish_at=start + hour)
    assert lastmods() == {special: start + 3 * hour, column: start + 2 * hour}


@pytest.mark.parametrize("state", not_public_states())
def test_content_the_public_cannot_read_is_in_no_sitemap(client, site, state):
    series = SeriesFactory(name="只有不公开的稿件")
    hidden = ArticleFactory(series=series, title="不公开的稿件", **not_public_states()[state])
    author = ContributorFactory(name="不公开的作者")
    BylineFactory(article=hidden, contributor=author)
    for section in SECTIONS:
        content = client.get(f"/sitemap-{section}.xml").content.decode()
        for slug in (hidden.slug, series.slug, author.slug, site["empty"].slug):
            assert f"/{slug}/" not in content, (section, slug)
    assert site["article"].slug in client.get("/sitemap-news.xml").content.decode()


def test_google_news_sitemap(client, site, settings):
    settings.NEWSROOM_PUBLISHER_NAME = "某某日报社"
    old = ArticleFactory(title="三天前的稿件", publish_at=timezone.now() - timedelta(days=3))
    root = xml(client, reverse("articles:sitemap-news"))
    assert root.tag == f"{S}urlset"
    urls = root.findall(f"{S}url")
    assert [u.findtext(f"{S}loc") for u in urls] == [f"http://testserver{site['article'].get_absolute_url()}"]
    assert old.slug not in client.get("/sitemap-news.xml").content.decode()
    news = urls[0].find(f"{N}news")
    assert news.findtext(f"{N}publication/{N}name") == "某某日报社"
    assert news.findtext(f"{N}publication/{N}language") == "zh-cn"
    assert news.findtext(f"{N}title") == "以“头号力度”拼出“头号工程”新图景"
    published = datetime.fromisoformat(news.findtext(f"{N}publication_date"))
    assert published == site["article"].publish_at


def test_urls_are_the_pages_own(client, site):
    """Sections build URLs from slugs: they must equal get_absolute_url()."""
    assert set(locations(client, "/sitemap-articles.xml")) == {site["article"].get_absolute_url()}
    contributor = site["article"].bylines.get().contributor
    assert contributor.get_absolute_url() in locations(client, "/sitemap-contributors.xml")


def index_entries(client) -> list[str]:
    return [loc.text.removeprefix("http://testserver") for loc in xml(client, "/sitemap.xml").iter(f"{S}loc")]


def test_a_section_past_its_page_size_gets_a_second_page(client):
    """At PAGE_SIZE + 1 public articles the index lists page 2, and it holds the last one."""
    series = SeriesFactory(name="大专题")
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            title=f"第{i}篇",
            slug=f"article-{i}",
            series=series,
            body="<p>正文。</p>",
            status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(hours=1),
        )
        for i in range(PAGE_SIZE + 1)
    )
    assert "/sitemap-articles.xml?p=2" in index_entries(client)
    assert "/sitemap-articles.xml?p=3" not in index_entries(client)
    first, second = locations(client, "/sitemap-articles.xml"), locations(client, "/sitemap-articles.xml?p=2")
    assert len(first) == PAGE_SIZE
    assert second == [f"/articles/article-{PAGE_SIZE}/"]  # published together: in id order


SECTION_ITEMS = {  # what adds one URL to a section
    "series": lambda: ArticleFactory(series=SeriesFactory()).series,
    "articles": lambda: ArticleFactory(),
    "contributors": lambda: BylineFactory().contributor,
    "news": lambda: ArticleFactory(),
}


@pytest.mark.parametrize("section", SECTION_ITEMS)
def test_every_section_is_paged_through_the_index(client, monkeypatch, section, django_assert_num_queries):
    monkeypatch.setattr(INDEX[section], "limit", 2)
    [SECTION_ITEMS[section]() for _ in range(5)]
    url = f"/sitemap-{section}.xml"
    entries = index_entries(client)
    assert [entry for entry in entries if entry.startswith(url)] == [url, f"{url}?p=2", f"{url}?p=3"]
    pages = []
    for page in (url, f"{url}?p=2", f"{url}?p=3"):
        with django_assert_num_queries(1):  # each page: its slice, no count
            pages.append(locations(client, page))
    assert [len(page) for page in pages] == [2, 2, 1]
    assert len(set(sum(pages, []))) == 5
    for beyond in ("?p=4", "?p=0", "?p=-1", "?p=abc", "?p=1.5", "?p=99999999999999999999999"):
        assert client.get(f"{url}{beyond}").status_code == 404, beyond


def test_a_large_section_is_paged_through_the_index(client, site, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    more = [ArticleFactory(series=site["column"]) for _ in range(2)]
    listed = [loc.text for loc in xml(client, "/sitemap.xml").iter(f"{S}loc")]
    assert "http://testserver/sitemap-articles.xml?p=2" in listed
    first = locations(client, "/sitemap-articles.xml")
    second = locations(client, "/sitemap-articles.xml?p=2")
    assert first + second == [a.get_absolute_url() for a in [site["article"], *more]]  # in publication order
    assert client.get("/sitemap-articles.xml?p=3").status_code == 404


# --- kept by the page cache, fresh after a publication ------------------------------


def test_sitemap_pages_are_cached_and_a_publication_is_on_the_next_request(
    client, staff, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(SlugSitemap, "limit", 2)
    articles = [ArticleFactory() for _ in range(4)]
    for url in ("/sitemap.xml", "/sitemap-articles.xml", "/sitemap-articles.xml?p=2"):
        first = client.get(url)
        with django_assert_num_queries(0):
            second = client.get(url)
        assert (first[HEADER], second[HEADER]) == ("miss", "hit"), url
        assert second.content == first.content and second["Content-Type"].startswith("application/xml")
    assert "/sitemap-articles.xml?p=3" not in index_entries(client)

    signed = ArticleFactory(title="终审签发的稿件", status=Article.Status.FINAL_REVIEW, publish_at=None)
    services.article_publish(article=signed, by=staff.chief)
    response = client.get("/sitemap-articles.xml?p=3")
    assert response[HEADER] == "miss"
    assert locations(client, "/sitemap-articles.xml?p=3") == [signed.get_absolute_url()]
    assert "/sitemap-articles.xml?p=3" in index_entries(client)
    assert signed.get_absolute_url() in locations(client, "/sitemap-news.xml")

    services.article_withdraw(article=signed, by=staff.chief, reason="当事人要求更正")
    assert client.get("/sitemap-articles.xml?p=3").status_code == 404
    assert "/sitemap-articles.xml?p=3" not in index_entries(client)
    assert locations(client, "/sitemap-articles.xml?p=2") == [a.get_absolute_url() for a in articles[2:]]


# --- a fixed number of queries, however large the site ------------------------------


def build(n: int):
    special = SeriesFactory(name="奋进")
    for i in range(n):
        column = SeriesFactory(name=f"栏目{i}", parent=special)
        for _ in range(3):
            article = ArticleFactory(series=column)
            BylineFactory(article=article)
            CreditFactory(article=article)
        CreditFactory(series=column)


QUERIES = {
    # Per section a count and its latest change: home 1 (no count), series 3 (two kinds of change), articles 2,
    # contributors 1 (no date), news 2.
    "sitemap.xml": 9,
    "sitemap-pages.xml": 1,  # the latest change
    # A page: its slice, no count.
    "sitemap-series.xml": 1,
    "sitemap-articles.xml": 1,
    "sitemap-contributors.xml": 1,
    "sitemap-news.xml": 1,
}


@pytest.mark.parametrize("size", [1, 5], ids=["small", "large"])
@pytest.mark.parametrize("url", QUERIES)
def test_sitemap_queries(client, django_assert_num_queries, size, url):
    build(size)
    with django_assert_num_queries(QUERIES[url]):
        response = client.get(f"/{url}")
    assert response.status_code == 200
