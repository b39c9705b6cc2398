"""The editors' admin: in Chinese, with inlines, autocomplete and a fixed query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, SeriesFactory

pytestmark = pytest.mark.django_db


def test_admin_is_in_chinese(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "采编" in html and "文章" in html and "专题/栏目" in html and "作者/机构" in html


def test_editor_creates_and_publishes_an_article_with_bylines_and_credits(admin_client):
    series = SeriesFactory(name="百千万")
    li, wang = ContributorFactory(name="李明"), ContributorFactory(name="王芳")
    now = timezone.localtime()
    response = admin_client.post(
        "/admin/articles/article/add/",
        {
            "title": "以“头号力度”拼出“头号工程”新图景",
            "subtitle": "",
            "series": series.pk,
            "series_position": 0,
            "body": "<p>战鼓催征马蹄疾，奋勇争先正当时。</p>",
            "status": "published",
            "publish_at_0": now.strftime("%Y-%m-%d"),
            "publish_at_1": now.strftime("%H:%M:%S"),
            "expire_at_0": "",
            "expire_at_1": "",
            "slug": "",
            "bylines-TOTAL_FORMS": 2,
            "bylines-INITIAL_FORMS": 0,
            "bylines-0-position": 0,
            "bylines-0-role": "记者",
            "bylines-0-contributor": li.pk,
            "bylines-1-position": 1,
            "bylines-1-role": "通讯员",
            "bylines-1-contributor": wang.pk,
            "credits-TOTAL_FORMS": 1,
            "credits-INITIAL_FORMS": 0,
            "credits-0-position": 0,
            "credits-0-role": "责任编辑",
            "credits-0-contributor": wang.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()
    article = Article.objects.published().get()
    assert article.title == "以“头号力度”拼出“头号工程”新图景"
    assert article.slug == "yi-tou-hao-li-du-pin-chu-tou-hao-gong-cheng-xin-tu-jing"
    assert [(b.role, b.contributor.name) for b in article.bylines.all()] == [("记者", "李明"), ("通讯员", "王芳")]
    assert [(c.role, c.contributor.name) for c in article.credits.all()] == [("责任编辑", "王芳")]


def test_contributor_autocomplete_finds_chinese_names(admin_client):
    ContributorFactory(name="赵可义")
    response = admin_client.get(
        "/admin/autocomplete/",
        {"term": "赵", "app_label": "articles", "model_name": "byline", "field_name": "contributor"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["赵可义"]


def test_slug_is_read_only_once_published(admin_client):
    article = ArticleFactory()
    html = admin_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert 'name="slug"' not in html
    draft = ArticleFactory(draft=True)
    assert 'name="slug"' in admin_client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()


def test_publish_action(admin_client):
    draft = ArticleFactory(draft=True)
    admin_client.post("/admin/articles/article/", {"action": "publish_now", "_selected_action": [draft.pk]})
    assert Article.objects.published().get() == draft


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
        BylineFactory(article=ArticleFactory())
        BylineFactory(article=Article.objects.last())
    assert queries_for_changelist(8) == one


@pytest.mark.parametrize("page", ["article", "series", "contributor"])
def test_admin_pages_open(admin_client, page):
    ArticleFactory()
    assert admin_client.get(f"/admin/articles/{page}/").status_code == 200
    assert admin_client.get(f"/admin/articles/{page}/add/").status_code == 200
