"""What readers see: pages, their status codes, and what each costs in queries.
Each page's own furniture is tested beside it: test_article_page.py,
test_series_pages.py, test_archive.py, test_contributor_page.py."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.db import connection

from articles.models import Article, Correction
from articles.views.home import lead_stories
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CreditFactory,
    ImageFactory,
    SeriesFactory,
    hours_ago,
    not_public_states,
)
from tests.pages import text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(real_seed):
    call_command("load_seeds", str(real_seed), verbosity=0)
    return Article.objects.get()


def test_article_page_from_the_real_seed(client, seeded):
    response = client.get(seeded.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "<h1>以“头号力度”拼出“头号工程”新图景</h1>" in html
    assert 'href="/contributors/zhao-ke-yi/">赵可义</a>' in html
    assert 'href="/series/bai-qian-wan/">百千万</a>' in html
    assert "“百千万工程”是一项系统工程，点多线面广" in html
    assert "<title>以“头号力度”拼出“头号工程”新图景" in html


def test_article_page_shows_byline_roles_and_credits_in_order(client):
    article = ArticleFactory(body="<p>引言。</p><h2>老屋活化 留住乡愁</h2><p>正文。</p>")
    for role, name in [("记者", "李明"), ("通讯员", "王芳"), ("摄", "李明")]:
        BylineFactory(article=article, role=role, contributor=ContributorFactory(name=name))
    for role, name in [("责任编辑", "赵可义"), ("校对", "陈东"), ("校对", "林夕")]:
        CreditFactory(article=article, role=role, contributor=ContributorFactory(name=name))
    html = client.get(article.get_absolute_url()).content.decode()
    assert text(html, "byline") == "记者 李明　通讯员 王芳　李明 摄"
    assert text(html, "credits") == "责任编辑：赵可义　校对：陈东 林夕"  # one label per role
    assert "<h2>老屋活化 留住乡愁</h2>" in html


def test_series_page_shows_intro_credits_and_articles_in_editor_order(client):
    series = SeriesFactory(name="百千万", intro="江门日报专栏。")
    ArticleFactory(series=series, title="第二篇", series_position=2)
    ArticleFactory(series=series, title="第一篇", series_position=1)
    CreditFactory(series=series, role="出品", contributor=ContributorFactory(name="江门日报社"))
    html = client.get(series.get_absolute_url()).content.decode()
    assert "<h1>百千万</h1>" in html and "江门日报专栏。" in html
    assert texts(html, "article-item-title") == ["第一篇", "第二篇"]
    assert text(html, "credits") == "出品：江门日报社"


# --- home ------------------------------------------------------------------------


def test_home_lists_latest_articles_and_series(client, seeded):
    html = client.get("/").content.decode()
    assert "以“头号力度”拼出“头号工程”新图景" in html
    assert ">百千万</a>" in html and ">奋进</a>" in html


def test_home_lead_story_is_the_latest_without_one_marked(client):
    ArticleFactory(title="较早", publish_at=hours_ago(3))
    latest = ArticleFactory(title="最新", publish_at=hours_ago(1), summary="最新的导语。")
    html = client.get("/").content.decode()
    assert text(html, "lead-story-title") == latest.title
    assert text(html, "lead-story-summary") == "最新的导语。"
    assert texts(html, "article-item-title") == ["较早"]  # the lead is not repeated right below


def test_home_lead_story_is_the_newest_marked_by_the_editors(client):
    ArticleFactory(title="较早的头条", is_lead=True, publish_at=hours_ago(5))
    ArticleFactory(title="头条", is_lead=True, publish_at=hours_ago(3))
    ArticleFactory(title="最新", publish_at=hours_ago(1))
    html = client.get("/").content.decode()
    assert text(html, "lead-story-title") == "头条"
    assert texts(html, "article-item-title") == ["最新", "较早的头条"]


@pytest.mark.parametrize("state", not_public_states().values(), ids=not_public_states().keys())
def test_home_lead_story_is_never_an_article_the_public_cannot_read(client, state):
    ArticleFactory(title="不该公开的稿件", is_lead=True, **state)
    ArticleFactory(title="公开的稿件", publish_at=hours_ago(2))
    html = client.get("/").content.decode()
    assert text(html, "lead-story-title") == "公开的稿件"
    assert "不该公开的稿件" not in html


def test_home_lists_abstracts_and_thumbnails(client):
    ArticleFactory(title="头条", publish_at=hours_ago(1))
    ArticleFactory(title="有摘要", summary="编辑写的摘要。", publish_at=hours_ago(2), cover=ImageFactory())
    ArticleFactory(title="无摘要", body="<p>正文开头就是摘要。</p>", publish_at=hours_ago(3))
    html = client.get("/").content.decode()
    assert texts(html, "article-item-summary") == ["编辑写的摘要。", "正文开头就是摘要。"]
    assert text(html, "article-item-picture") == "" and html.count("<picture>") == 1


def _opening_of(length: int, html: str) -> str:
    """A paragraph padded (in an attribute, no text) to ``length`` characters, then ``html``."""
    return '<p title="' + "x" * (length - len('<p title="">甲</p>')) + '">甲</p>' + html


@pytest.mark.parametrize(
    ("body", "cut_to"),
    [
        ("<p>短短的正文。</p>", None),
        ("<p>" + "侨乡" * 1000 + "</p>", None),
        (
            '<figure class="image"><img src="/a.jpg" alt=""><figcaption>说明</figcaption></figure>'
            + "<p>段落。</p>" * 200,
            None,
        ),
        (_opening_of(997, "<p>&amp;乙</p>"), "甲…"),  # the opening ends inside an entity
        (_opening_of(998, '<p class="y">乙</p>'), "甲…"),  # inside a tag
    ],
    ids=["short", "long", "figure-first", "entity-cut", "tag-cut"],
)
def test_a_lists_abstract_reads_the_opening_only(body, cut_to):
    article = ArticleFactory(body=body)
    teaser = Article.objects.for_teasers().get(pk=article.pk)
    assert teaser.abstract == (cut_to or Article.objects.get(pk=article.pk).abstract)
    assert "body" in teaser.get_deferred_fields()  # it did not load the body to say so


def test_home_page_two_shows_only_the_latest(client, monkeypatch):
    from articles.views import HomeView

    monkeypatch.setattr(HomeView, "paginate_by", 2)
    for n in range(4):
        ArticleFactory(title=f"第{n}篇", publish_at=hours_ago(10 - n))
    html = client.get("/?page=2").content.decode()
    assert texts(html, "article-item-title") == ["第1篇", "第0篇"]
    assert 'class="lead-story"' not in html and 'class="series-index"' not in html


# --- drafts and the clock: never public ----------------------------------------

NOT_PUBLIC = not_public_states()


@pytest.mark.parametrize("state", NOT_PUBLIC.values(), ids=NOT_PUBLIC.keys())
def test_an_article_that_is_not_live_is_404_and_in_no_list(client, state):
    author = ContributorFactory(name="李明")
    special = SeriesFactory(name="奋进")
    column = SeriesFactory(name="百千万", parent=special)
    day = dt.date(2026, 11, 28)
    hidden = ArticleFactory(title="不该公开的稿件", series=column, print_date=day, is_lead=True, **state)
    BylineFactory(article=hidden, contributor=author)
    visible = ArticleFactory(title="公开的稿件", series=column, print_date=day)
    BylineFactory(article=visible, contributor=author)
    neighbour = ArticleFactory(title="另一篇公开的稿件", series=column, print_date=day)

    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 404
    assert "找不到这个页面" in response.content.decode()
    urls = (
        "/",
        special.get_absolute_url(),
        column.get_absolute_url(),
        author.get_absolute_url(),
        "/archive/2026/11/28/",
        "/archive/2026/11/",
        neighbour.get_absolute_url(),  # its related articles and its neighbours
    )
    for url in urls:
        html = client.get(url).content.decode()
        assert "公开的稿件" in html, url
        assert "不该公开的稿件" not in html, url


def test_home_series_counts_only_count_public_articles(client):
    series = SeriesFactory(name="百千万")
    ArticleFactory(series=series)
    ArticleFactory(series=series, draft=True)
    assert "1 篇" in client.get("/").content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/articles/no-such-article/",
        "/series/no-such-series/",
        "/contributors/nobody/",
        "/archive/2026/02/30/",
        "/archive/1999/01/",
        "/nowhere/",
    ],
)
def test_unknown_addresses_are_a_friendly_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "找不到这个页面" in response.content.decode()


def test_bad_page_number_is_404(client, seeded):
    assert client.get("/?page=abc").status_code == 404
    assert client.get("/?page=999").status_code == 404


# --- a fixed number of queries, however much a page shows ----------------------


def build_site(n_articles: int, n_people: int):
    """A special issue with two columns and articles of its own, and a plain
    series: ``n_articles`` in each, every one by ``n_people`` people with as
    many credits, printed on one day; the special issue and its columns
    credited too."""
    special = SeriesFactory(name="奋进")
    columns = [SeriesFactory(name=name, parent=special) for name in ("百千万", "侨乡")]
    plain = SeriesFactory(name="侨乡观察")
    people = [ContributorFactory() for _ in range(n_people)]
    articles = {}
    for series in (special, *columns, plain):
        for person in people:
            CreditFactory(series=series, contributor=person, role="总策划")
        articles[series.name] = []
        for position in range(n_articles):
            article = ArticleFactory(series=series, series_position=position, print_date=dt.date(2026, 11, 28))
            for person in people:
                BylineFactory(article=article, contributor=person)
                CreditFactory(article=article, contributor=person)
            articles[series.name].append(article)
        ArticleFactory(series=series, title="不该公开的稿件", draft=True)
    return special, people, articles


SIZES = pytest.mark.parametrize("size", [(1, 1), (6, 5)], ids=["small", "large"])


@SIZES
def test_article_page_queries(client, django_assert_num_queries, size):
    _, _, articles = build_site(*size)
    article = articles["百千万"][0]
    # The article with its series and special issue, cover, its place in its series
    # and whether it has corrections; its bylines with the credits of it, its series
    # and special issue; its neighbours and nearest in the series with its authors'
    # other articles.
    with django_assert_num_queries(3):
        assert client.get(article.get_absolute_url()).status_code == 200
    # With corrections, one more: them.
    Correction.objects.create(article=article, text="更正：第二段的日期应为11月28日。")
    with django_assert_num_queries(4):
        assert "第二段的日期应为11月28日" in client.get(article.get_absolute_url()).content.decode()


@SIZES
def test_series_page_queries(client, django_assert_num_queries, size):
    special, _, articles = build_site(*size)
    column = articles["百千万"][0].series
    # A column: the series with its special issue and cover; the count; the ids of
    # the page's articles; those articles; their bylines; the credits of the column
    # and its special issue.
    with django_assert_num_queries(6):
        assert client.get(column.get_absolute_url()).status_code == 200
    # A special issue or a plain series: the same, and its columns with their counts
    # (their articles are in its list).
    for series in (special, articles["侨乡观察"][0].series):
        with django_assert_num_queries(7):
            assert client.get(series.get_absolute_url()).status_code == 200


@SIZES
def test_home_page_queries(client, django_assert_num_queries, size):
    build_site(*size)
    # The count; the ids of the latest articles; those articles; the lead story
    # marked by the editors; the bylines of both; every series with its count and
    # the ids of its latest articles; those articles.
    with django_assert_num_queries(7):
        assert client.get("/").status_code == 200


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan; PostgreSQL's depends on its statistics")
def test_the_lead_story_is_found_by_its_own_index_not_by_reading_every_public_row():
    ArticleFactory.create_batch(3)
    plan = lead_stories()[:1].explain()
    assert "article_lead_idx" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans (SQLite's own test is above)")
def test_an_article_page_reads_no_article_but_by_an_index_on_postgresql(client):
    """Every read of the articles table looks rows up by an index condition,
    with sequential scans priced out: a statement such as ``pk IN (…) OR pk IN
    (subquery)`` has no index path on PostgreSQL (only a filter over every
    row), and read every article for each article page."""
    _, _, articles = build_site(6, 5)
    article = articles["百千万"][0]
    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert client.get(article.get_absolute_url()).status_code == 200
    assert len(statements) == 3  # as test_article_page_queries counts them
    unindexed = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql, params in statements:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            unindexed += [sql for node in _plan_nodes(plan[0]["Plan"]) if _reads_articles_unindexed(node)]
    assert unindexed == []


def _plan_nodes(node):
    yield node
    for child in node.get("Plans", ()):
        yield from _plan_nodes(child)


def _reads_articles_unindexed(node) -> bool:
    if node.get("Relation Name") != "articles_article":
        return False
    if node["Node Type"] == "Bitmap Heap Scan":  # its index condition is on the bitmap below it
        return not any("Index Cond" in child for child in _plan_nodes(node))
    return "Index Cond" not in node


def test_the_home_pages_page_two_queries(client, django_assert_num_queries):
    for _ in range(21):
        ArticleFactory()
    with django_assert_num_queries(4):  # the count, the page's ids, those articles, their bylines
        assert client.get("/?page=2").status_code == 200


@SIZES
def test_contributor_page_queries(client, django_assert_num_queries, size):
    _, people, _ = build_site(*size)
    # The contributor (with the public-work check); the role counts (whose sum the
    # paginator counts); the page of (role, article) entries; the series credited on;
    # the entries' articles.
    with django_assert_num_queries(5):
        assert client.get(people[0].get_absolute_url()).status_code == 200


@SIZES
def test_archive_page_queries(client, django_assert_num_queries, size):
    build_site(*size)
    with django_assert_num_queries(3):  # the count, the articles, their bylines
        assert client.get("/archive/2026/11/28/").status_code == 200
    with django_assert_num_queries(4):  # the days with their counts, then as the day page
        assert client.get("/archive/2026/11/").status_code == 200


def add_pictures(series, articles):
    """A cover with a photographer's credit on the series and each article, and
    two library pictures in each article's text."""
    photographer = ContributorFactory(name="摄影记者")
    series.cover = ImageFactory(credit=photographer)
    series.save()
    for article in articles:
        inline = [ImageFactory(), ImageFactory()]
        article.cover = ImageFactory(credit=photographer)
        article.body = "".join(
            f'<figure class="image"><img src="{image.file.url}" alt=""><figcaption>说明</figcaption></figure>'
            for image in inline
        )
        article.save()


@SIZES
def test_pictures_cost_no_query_in_lists_and_one_for_the_text(client, django_assert_num_queries, size):
    _, _, articles = build_site(*size)
    series = articles["侨乡观察"][0].series
    add_pictures(series, articles["侨乡观察"])
    with django_assert_num_queries(4):  # as without pictures, plus the text's pictures (one query)
        html = client.get(articles["侨乡观察"][0].get_absolute_url()).content.decode()
    assert html.count("<picture>") == 3  # cover and two in the text
    assert "摄影记者 摄" in html
    assert '<meta property="og:image" content="http://testserver/media/renditions/' in html  # the share card
    assert "/media/images/" not in html  # never the original upload
    with django_assert_num_queries(7):  # as without pictures
        html = client.get(series.get_absolute_url()).content.decode()
    assert html.count("<picture>") == 1 + size[0]  # the series' cover, each article's
    with django_assert_num_queries(7):  # as without pictures
        html = client.get("/").content.decode()
    assert html.count("<picture>") == size[0]  # the lead's and the latest list's covers


def test_numbers_print_as_they_are_whatever_the_locale_would_make_of_them(settings):
    """base.html turns localisation off: counts, page numbers and numbered ids
    (id="block-3") print as digits, and no page pays for looking up a number
    format (zh-hans has no thousands separator; a language with one shows
    what the lookup would do)."""
    from django.template import engines
    from django.utils import translation

    settings.USE_THOUSAND_SEPARATOR = True
    source = '{% extends "base.html" %}{% block content %}<p id="n-{{ n }}">共 {{ n }} 篇</p>{% endblock %}'
    with translation.override("en"):
        html = engines["django"].from_string(source).render({"n": 12345})
        assert engines["django"].from_string("{{ n }}").render({"n": 12345}) == "12,345"  # what it spares
    assert '<p id="n-12345">共 12345 篇</p>' in html
