"""The editors' admin: in Chinese, with inlines, autocomplete, filters and a fixed query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Series
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, SeriesFactory
from tests.forms import article_form, series_form

pytestmark = pytest.mark.django_db


def test_admin_is_in_chinese(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "采编" in html and "文章" in html and "专题/栏目" in html and "作者/机构" in html


def test_reporter_creates_an_article_with_bylines_and_credits(staff, client_for):
    series = SeriesFactory(name="百千万")
    li, wang = ContributorFactory(name="李明"), ContributorFactory(name="王芳")
    response = client_for(staff.reporter).post(
        "/admin/articles/article/add/",
        article_form(
            title="以“头号力度”拼出“头号工程”新图景",
            series=series.pk,
            body="<p>战鼓催征马蹄疾，奋勇争先正当时。</p>",
            **{
                "bylines-TOTAL_FORMS": 2,
                "bylines-0-position": 0,
                "bylines-0-role": "记者",
                "bylines-0-contributor": li.pk,
                "bylines-1-position": 1,
                "bylines-1-role": "通讯员",
                "bylines-1-contributor": wang.pk,
                "credits-TOTAL_FORMS": 1,
                "credits-0-position": 0,
                "credits-0-role": "责任编辑",
                "credits-0-contributor": wang.pk,
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()
    article = Article.objects.get()
    assert (article.status, article.created_by) == (Article.Status.DRAFT, staff.reporter)
    assert article.title == "以“头号力度”拼出“头号工程”新图景"
    assert article.slug == "yi-tou-hao-li-du-pin-chu-tou-hao-gong-cheng-xin-tu-jing"
    assert [(b.role, b.contributor.name) for b in article.bylines.all()] == [("记者", "李明"), ("通讯员", "王芳")]
    assert [(c.role, c.contributor.name) for c in article.credits.all()] == [("责任编辑", "王芳")]
    assert not Article.objects.published().exists()


def test_status_cannot_be_set_through_the_form(staff, client_for):
    article = ArticleFactory(draft=True, created_by=staff.reporter)
    client_for(staff.reporter).post(
        f"/admin/articles/article/{article.pk}/change/", article_form(article, status="published")
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_contributor_autocomplete_finds_chinese_names(admin_client):
    ContributorFactory(name="赵可义")
    response = admin_client.get(
        "/admin/autocomplete/",
        {"term": "赵", "app_label": "articles", "model_name": "byline", "field_name": "contributor"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["赵可义"]


def test_series_autocomplete_pages_in_pinyin_order_without_repeats(admin_client, recwarn):
    """The series list counts articles (a GROUP BY, which drops the model's
    ordering): its autocomplete still pages in a fixed order, so no series
    shows up on two pages or on none."""
    names = [f"江门专题{n}" for n in range(25)]
    for name in names:
        SeriesFactory(name=name)
    pages = [
        admin_client.get(
            "/admin/autocomplete/",
            {"term": "江门", "app_label": "articles", "model_name": "article", "field_name": "series", "page": page},
        ).json()
        for page in (1, 2)
    ]
    listed = [r["text"] for page in pages for r in page["results"]]
    assert pages[0]["pagination"]["more"] and len(pages[0]["results"]) == 20
    assert sorted(listed) == sorted(names)
    assert listed == [s.name for s in Series.objects.filter(name__startswith="江门").order_by("slug")]
    assert not [w for w in recwarn if "Pagination may yield inconsistent results" in str(w.message)]


def test_slug_is_read_only_once_published(admin_client):
    article = ArticleFactory()
    html = admin_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert 'name="slug"' not in html
    draft = ArticleFactory(draft=True)
    assert 'name="slug"' in admin_client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()


def test_changelist_shows_status_badges_including_scheduled(admin_client):
    ArticleFactory(publish_at=timezone.now() + timezone.timedelta(days=1))
    ArticleFactory(status=Article.Status.RETURNED, publish_at=None)
    html = admin_client.get("/admin/articles/article/").content.decode()
    assert ">已排期</span>" in html and ">已退回</span>" in html


def test_my_articles_and_awaiting_my_review(staff, client_for):
    mine = ArticleFactory(title="我写的稿", draft=True, created_by=staff.reporter)
    ArticleFactory(title="别人的稿", draft=True, created_by=staff.other_reporter)
    ArticleFactory(title="待初审的稿", status=Article.Status.FIRST_REVIEW, publish_at=None)
    ArticleFactory(title="待复审的稿", status=Article.Status.SECOND_REVIEW, publish_at=None)
    html = client_for(staff.reporter).get("/admin/articles/article/?queue=mine").content.decode()
    assert mine.title in html and "别人的稿" not in html
    html = client_for(staff.desk_head).get("/admin/articles/article/?queue=review").content.decode()
    assert "待复审的稿" in html and "待初审的稿" not in html and mine.title not in html


def test_filters_by_author_and_series(admin_client):
    li = ContributorFactory(name="李明")
    BylineFactory(article=ArticleFactory(title="李明的稿"), contributor=li)
    fenjin = SeriesFactory(name="奋进")
    BylineFactory(article=ArticleFactory(title="王芳的稿", series=fenjin))
    html = admin_client.get(f"/admin/articles/article/?bylines__contributor__id__exact={li.pk}").content.decode()
    assert "李明的稿" in html and "王芳的稿" not in html
    html = admin_client.get(f"/admin/articles/article/?series__id__exact={fenjin.pk}").content.decode()
    assert "王芳的稿" in html and "李明的稿" not in html


def test_changelist_costs_the_same_however_many_rows(admin_client):
    def queries_for_changelist(rows):
        with CaptureQueriesContext(connection) as queries:
            html = admin_client.get("/admin/articles/article/").content.decode()
        assert html.count('class="status-badge"') == rows
        return len(queries)

    BylineFactory(article=ArticleFactory())
    admin_client.get("/admin/articles/article/")  # warm the session
    one = queries_for_changelist(1)
    for _ in range(7):
        article = ArticleFactory()
        BylineFactory(article=article)
        BylineFactory(article=article)
    assert queries_for_changelist(8) == one


@pytest.mark.parametrize("page", ["article", "series", "contributor"])
def test_admin_pages_open(admin_client, page):
    ArticleFactory()
    assert admin_client.get(f"/admin/articles/{page}/").status_code == 200
    assert admin_client.get(f"/admin/articles/{page}/add/").status_code == 200


def test_series_page_sets_the_order_and_new_articles_go_last(admin_client):
    series = SeriesFactory(name="百千万")
    first, second = ArticleFactory(series=series, series_position=0), ArticleFactory(series=series, series_position=1)
    admin_client.post(
        "/admin/articles/article/add/", article_form(title="第三篇", series=series.pk, body="<p>正文。</p>")
    )
    assert Article.objects.get(title="第三篇").series_position == 2
    response = admin_client.post(
        f"/admin/articles/series/{series.pk}/change/",
        series_form(series, order={first: 5, second: 1}),
    )
    assert response.status_code == 302
    assert list(series.articles.order_by("series_position").values_list("pk", flat=True))[-1] == first.pk


def test_read_only_view_shows_the_text_and_never_runs_markup(staff, client_for):
    article = ArticleFactory(
        status=Article.Status.SECOND_REVIEW,
        publish_at=None,
        body="<p>第一段“引号”。</p><p>&lt;b&gt;不是标签&lt;/b&gt;</p><script>alert('x')</script><p>末段。</p>",
    )
    # At 复审 the desk head edits; the editor-in-chief (终审) reads.
    html = client_for(staff.chief).get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "<p>第一段“引号”。</p>" in html and "&lt;b&gt;不是标签&lt;/b&gt;" in html
    assert "<script>alert" not in html and 'name="body"' not in html
