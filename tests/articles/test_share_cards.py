"""Share cards and structured data, read back from the pages: canonical URL,
Open Graph and Twitter tags, feed links, JSON-LD (parsed); nothing of a draft
in a preview; and no query for any of it."""

import datetime
import json
from html.parser import HTMLParser

import hypothesis
import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.urls import resolve, reverse
from hypothesis import example, given
from hypothesis import strategies as st

from articles import share
from articles.models import Article
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    ImageFactory,
    SeriesFactory,
    UserFactory,
    preview_url,
)

pytestmark = pytest.mark.django_db


class Head(HTMLParser):
    """What a crawler reads in a page: meta tags, links, JSON-LD blocks."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict] = []
        self.json_ld: list = []
        self.scripts = 0
        self._in_json = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta.setdefault(attrs.get("property") or attrs["name"], []).append(attrs.get("content"))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script":
            self.scripts += 1
            self._in_json = attrs.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_json:
            self.json_ld.append(json.loads(data))
            self._in_json = False

    def one(self, key: str) -> str:
        values = self.meta.get(key, [])
        assert len(values) == 1, (key, values)
        return values[0]

    def canonical(self) -> str | None:
        found = [link["href"] for link in self.links if link.get("rel") == "canonical"]
        assert len(found) <= 1
        return found[0] if found else None

    def alternates(self) -> list[tuple[str, str]]:
        return [(link["type"], link["href"]) for link in self.links if link.get("rel") == "alternate"]

    def of_type(self, kind: str) -> dict:
        nodes = [n for data in self.json_ld for n in data.get("@graph", [data]) if n.get("@type") == kind]
        assert len(nodes) == 1, (kind, self.json_ld)
        return nodes[0]


def head(client, url, status=200) -> Head:
    response = client.get(url)
    assert response.status_code == status, url
    return Head(response.content.decode())


@pytest.fixture
def issue():
    """奋进 (special issue) ⊃ 百千万 (column) ∋ an article with a subtitle,
    a summary, a cover, a person and an organisation in its byline."""
    special = SeriesFactory(name="奋进", intro="江门日报\n特别策划。")
    column = SeriesFactory(name="百千万", parent=special)
    article = ArticleFactory(
        series=column,
        title="以“头号力度”拼出“头号工程”新图景",
        subtitle="江门全力推进“百千万工程”",
        summary="江门以“头号力度”推进“百千万工程”。",
        cover=ImageFactory(size=(1600, 900), alt="侨乡村新貌"),
        print_page="A05",
    )
    BylineFactory(article=article, contributor=ContributorFactory(name="赵可义"), role="文")
    BylineFactory(article=article, contributor=ContributorFactory(name="江门日报社", kind="organisation"), role="")
    return {"special": special, "column": column, "article": article}


# --- the article page ------------------------------------------------------------------


def test_article_open_graph_and_twitter(client, issue):
    article = issue["article"]
    page = head(client, article.get_absolute_url() + "?utm_source=wechat&from=timeline")
    url = f"http://testserver{article.get_absolute_url()}"
    assert page.canonical() == url  # without the tracking query
    assert page.one("og:type") == "article"
    assert page.one("og:url") == url
    assert page.one("og:title") == article.title
    assert page.one("og:description") == page.one("description") == article.summary
    assert page.one("og:site_name") == "江门日报 Newsroom"
    assert page.one("og:locale") == "zh_CN"
    image = page.one("og:image")
    assert image.startswith("http://testserver/media/renditions/") and image.endswith("/1280.jpg")
    assert (page.one("og:image:width"), page.one("og:image:height")) == ("1280", "720")
    assert page.one("og:image:alt") == "侨乡村新貌"  # the picture's own alt text
    assert page.one("article:published_time").startswith(f"{article.publish_at.astimezone():%Y-%m-%dT%H:%M}")
    assert page.one("article:modified_time")
    assert page.one("article:section") == "百千万"
    assert page.meta["article:author"] == [
        "http://testserver/contributors/zhao-ke-yi/",
        "http://testserver/contributors/jiang-men-ri-bao-she/",
    ]
    assert page.one("twitter:card") == "summary_large_image"
    assert page.one("twitter:title") == article.title
    assert page.one("twitter:image") == image


def test_article_json_ld(client, issue, settings):
    settings.NEWSROOM_PUBLISHER_NAME = "某某日报社"
    article = issue["article"]
    page = head(client, article.get_absolute_url())
    url = f"http://testserver{article.get_absolute_url()}"
    news = page.of_type("NewsArticle")
    assert news["@context"] == "https://schema.org"
    assert news["headline"] == article.title
    assert news["alternativeHeadline"] == article.subtitle
    assert news["description"] == article.summary
    assert news["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert news["datePublished"] == page.one("article:published_time")
    assert news["dateModified"] == page.one("article:modified_time")
    assert news["author"] == [
        {"@type": "Person", "name": "赵可义", "url": "http://testserver/contributors/zhao-ke-yi/"},
        {"@type": "Organization", "name": "江门日报社", "url": "http://testserver/contributors/jiang-men-ri-bao-she/"},
    ]
    publisher = news["publisher"]
    assert publisher["name"] == "某某日报社" and publisher["@type"] == "NewsMediaOrganization"
    assert publisher["logo"]["url"] == "http://testserver/static/articles/publisher-logo.png"
    assert news["image"]["url"] == page.one("og:image") and news["image"]["width"] == 1280
    assert news["isPartOf"] == {
        "@type": "CreativeWorkSeries",
        "name": "百千万",
        "url": "http://testserver/series/bai-qian-wan/",
        "isPartOf": {"@type": "CreativeWorkSeries", "name": "奋进", "url": "http://testserver/series/fen-jin/"},
    }
    assert news["printPage"] == "A05"
    crumbs = page.of_type("BreadcrumbList")["itemListElement"]
    assert [(c["position"], c["name"]) for c in crumbs] == [(1, "首页"), (2, "奋进"), (3, "百千万"), (4, article.title)]


def test_a_configured_logo_and_the_bundled_one(client, issue, settings):
    assert finders.find(share.DEFAULT_LOGO)  # the default logo ships with the app
    settings.NEWSROOM_PUBLISHER_LOGO = "https://cdn.example.com/logo.png"
    news = head(client, issue["article"].get_absolute_url()).of_type("NewsArticle")
    assert news["publisher"]["logo"] == {"@type": "ImageObject", "url": "https://cdn.example.com/logo.png"}


def test_an_article_without_cover_or_byline(client):
    article = ArticleFactory(series=None, title="短讯", body="<p>江门日报讯 今天有雨。</p>")
    page = head(client, article.get_absolute_url())
    assert page.one("og:description") == "江门日报讯 今天有雨。"  # the opening of the text
    assert page.one("og:image") == "http://testserver/static/articles/publisher-logo.png"
    assert page.one("twitter:card") == "summary"
    assert "article:section" not in page.meta
    news = page.of_type("NewsArticle")
    assert news["author"] == [news["publisher"]]  # the paper itself
    assert "isPartOf" not in news and "alternativeHeadline" not in news and "image" not in news


def test_no_text_can_close_the_json_ld_block(client):
    title = "</script><script>alert('XSS')</script><!--"
    article = ArticleFactory(title=title, subtitle="a & b > c")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert "</script><script>alert" not in html
    page = Head(html)
    assert page.scripts == 2  # the NewsArticle and the breadcrumbs, nothing else
    news = page.of_type("NewsArticle")
    assert news["headline"] == title and news["alternativeHeadline"] == "a & b > c"  # the text, exactly


# --- previews: noindex, and nothing that describes the draft -----------------------


def assert_private(page: Head):
    assert page.one("robots") == "noindex, nofollow"
    assert page.canonical() is None
    assert page.json_ld == []
    assert not [key for key in page.meta if key.startswith(("og:", "twitter:", "article:"))]
    assert "description" not in page.meta


def test_staff_preview_of_a_draft(client_for, issue):
    draft = ArticleFactory(series=issue["column"], draft=True, title="草稿标题", summary="草稿摘要")
    editor = client_for(UserFactory(username="editor", roles=["编辑"]))
    response = editor.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert_private(Head(response.content.decode()))
    # A published article seen by staff is the public page, card and all.
    assert Head(editor.get(issue["article"].get_absolute_url()).content.decode()).canonical()


def test_signed_preview_link(client, issue):
    draft = ArticleFactory(series=issue["column"], draft=True, title="草稿标题")
    assert_private(head(client, preview_url(draft)))
    assert_private(head(client, preview_url(issue["article"])))  # even of a published article


# --- series, special issue, contributor, home -------------------------------------


def test_series_page(client, issue):
    column = issue["column"]
    page = head(client, column.get_absolute_url())
    url = f"http://testserver{column.get_absolute_url()}"
    assert page.canonical() == url == page.one("og:url")
    assert page.one("og:type") == "website"
    assert page.one("og:title") == "百千万"
    assert ("application/rss+xml", f"{column.get_absolute_url()}feed/") in page.alternates()
    assert ("application/atom+xml", f"{column.get_absolute_url()}feed/atom/") in page.alternates()
    for _type, href in page.alternates():
        assert client.get(href).status_code == 200
    collection = page.of_type("CollectionPage")
    assert collection["mainEntity"]["@type"] == "CreativeWorkSeries"
    assert collection["mainEntity"]["isPartOf"]["name"] == "奋进"
    assert [c["name"] for c in page.of_type("BreadcrumbList")["itemListElement"]] == ["首页", "奋进", "百千万"]


def test_special_issue_page_describes_itself_from_its_intro(client, issue):
    special = issue["special"]
    special.cover = ImageFactory(size=(1200, 800))
    special.save()
    page = head(client, special.get_absolute_url())
    assert page.one("og:description") == "江门日报特别策划。"  # lines joined, no space between Chinese
    assert page.one("og:image").startswith("http://testserver/media/renditions/")
    assert ("application/rss+xml", f"{special.get_absolute_url()}feed/") in page.alternates()
    assert "isPartOf" not in page.of_type("CollectionPage")["mainEntity"]


@pytest.mark.parametrize(("char", "block"), [("𠀀", "Extension B"), ("𰀀", "Extension G")])
def test_lines_join_around_any_ideograph(client, char, block):
    """Any ideograph (articles/chinese.py) joins lines as 江 does: no space between them.
    (A compatibility ideograph reaches the page as its unified twin: NFC folds it.)"""
    special = SeriesFactory(name="奋进", intro=f"江门日报{char}\n{char}特别策划。\nJiangmen\nDaily")
    page = head(client, special.get_absolute_url())
    assert page.one("og:description") == f"江门日报{char}{char}特别策划。 Jiangmen Daily", block


def test_contributor_page(client, issue):
    page = head(client, "/contributors/zhao-ke-yi/")
    assert page.canonical() == "http://testserver/contributors/zhao-ke-yi/"
    assert page.one("og:type") == "profile"
    assert page.one("og:title") == "赵可义"
    profile = page.of_type("ProfilePage")
    assert profile["mainEntity"] == {
        "@type": "Person",
        "name": "赵可义",
        "url": "http://testserver/contributors/zhao-ke-yi/",
    }


def test_home_page(client, issue):
    page = head(client, "/?utm_campaign=x")
    assert page.canonical() == "http://testserver/"
    assert page.one("og:type") == "website"
    assert page.one("og:title") == "江门日报 Newsroom"
    website = page.of_type("WebSite")
    assert website["url"] == "http://testserver/"
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    assert website["publisher"]["name"] == "江门日报社"
    assert page.of_type("CollectionPage")["isPartOf"] == {"@id": website["@id"]}
    assert page.alternates() == [
        ("application/rss+xml", "/feeds/latest/"),
        ("application/atom+xml", "/feeds/latest/atom/"),
    ]


# --- canonical URL on every public page --------------------------------------------


def test_every_public_page_has_one_canonical_url(client, issue):
    Article.objects.filter(pk=issue["article"].pk).update(print_date=datetime.date(2026, 11, 28))
    pages = {
        "/archive/2026/11/28/?from=timeline": "/archive/2026/11/28/",
        "/archive/2026/11/": "/archive/2026/11/",
        "/": "/",
        issue["special"].get_absolute_url(): issue["special"].get_absolute_url(),
        issue["column"].get_absolute_url(): issue["column"].get_absolute_url(),
        issue["article"].get_absolute_url(): issue["article"].get_absolute_url(),
        "/contributors/zhao-ke-yi/?page=1": "/contributors/zhao-ke-yi/",  # page 1 is the page itself
    }
    for url, canonical in pages.items():
        assert head(client, url).canonical() == f"http://testserver{canonical}", url


def test_a_later_page_is_canonical_to_itself(client, issue):
    for _ in range(20):  # the home page shows 20 a page
        ArticleFactory(series=issue["column"])
    assert head(client, "/?page=2&utm_source=weibo").canonical() == "http://testserver/?page=2"


def test_error_and_search_pages_have_no_canonical_or_card(client, issue):
    for url, status in [("/no-such-page/", 404), ("/articles/no-such-article/", 404)]:
        page = head(client, url, status)
        assert page.canonical() is None and "og:title" not in page.meta and page.json_ld == [], url
    search = Head(client.get("/search/?q=百千万").content.decode())
    assert search.canonical() is None and "og:title" not in search.meta
    assert ("application/rss+xml", "/feeds/latest/") in search.alternates()


# --- no query ------------------------------------------------------------------------


def test_share_metadata_costs_no_query(client, issue, django_assert_num_queries):
    """Built from what the article page's queryset loaded: its series and
    special issue, cover and bylines."""
    response = client.get(issue["article"].get_absolute_url())
    article = response.context["article"]
    request = RequestFactory().get(issue["article"].get_absolute_url())
    request.resolver_match = resolve(request.path)
    with django_assert_num_queries(0):
        meta = share.share_meta({"request": request, "article": article, "is_preview": False})
    assert [d["@type"] for d in meta.json_ld] == ["NewsArticle", "BreadcrumbList"]
    assert meta.json_ld[0]["isPartOf"]["isPartOf"]["name"] == "奋进"


def test_the_article_list_queryset_brings_the_special_issue(django_assert_num_queries, issue):
    article = Article.objects.published().for_lists().get(pk=issue["article"].pk)
    with django_assert_num_queries(0):
        assert [s.name for s in share.series_chain(article.series)] == ["百千万", "奋进"]
    assert reverse("articles:article-detail", kwargs={"slug": article.slug}) == article.get_absolute_url()


_PATHS = st.one_of(
    st.text(max_size=30).map(lambda text: "/" + text),
    st.text(alphabet="/abc-_.~%#?=&:;$()+,!*@'[] 江门 \\\"<>", max_size=30),
    st.sampled_from(["/", "//evil.example/x", "/articles/fen-jin/", "relative/path", "", "/media/图片.jpg"]),
)


@given(path=_PATHS, secure=st.booleans())
@example(path="/ a", secure=False)
@example(path="/江门/", secure=False)
@example(path='/"x"', secure=True)
@example(path="//evil.example/", secure=False)
@hypothesis.settings(max_examples=300, deadline=None)  # (settings: the pytest-django fixture here)
def test_absolute_urls_are_what_django_builds(path, secure):
    """share._Page.absolute() puts the origin before a path that is a URI
    already, instead of asking build_absolute_uri(): the same URL always."""
    request = RequestFactory().get("/articles/x/", secure=secure, HTTP_HOST="testserver")
    assert share._Page(request, {}).absolute(path) == request.build_absolute_uri(path)
