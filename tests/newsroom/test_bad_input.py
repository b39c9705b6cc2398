"""Every bad input gets a clear answer (docs/security.md, "Bad input"): what
each one found in issue 10 answers now, on SQLite and PostgreSQL."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from articles import services
from articles.models import Article
from tests.factories import ArticleFactory
from tests.forms import article_form
from tests.pages import texts

pytestmark = pytest.mark.django_db

Status = Article.Status
NUL_MESSAGE = "请求里有无法处理的字符（NUL，\\x00）"
WINDOW = "必须在 2000 年到 2100 年之间（北京时间）"


def logged_in(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def in_final_review(staff):
    return ArticleFactory(status=Status.FINAL_REVIEW, publish_at=None, created_by=staff.reporter)


def step(client, article, **data):
    return client.post(f"/admin/articles/article/{article.pk}/workflow/", data, follow=True)


def said(response) -> str:
    return " ".join(texts(response.content.decode(), "messagelist"))


# --- NUL bytes: a 400 with a Chinese message, before any view ------------------------------


@pytest.mark.parametrize(
    "method, url, data",
    [
        ("get", "/admin/articles/article/", {"status": "\x00"}),
        ("get", "/admin/autocomplete/", {"app_label": "articles", "model_name": "article", "term": "\x00"}),
        ("get", "/search/", {"q": "江门\x00"}),
        ("get", "/", {"q\x00": "1"}),
        ("get", "/articles/%00/", {}),
    ],
)
def test_a_nul_byte_anywhere_is_a_400_saying_why(staff, method, url, data):
    response = getattr(logged_in(staff.superuser), method)(url, data)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


@pytest.mark.parametrize(
    "state, view, data",
    [
        (Status.FINAL_REVIEW, "workflow/", {"action": "return", "comment": "请改\x00"}),
        (Status.PUBLISHED, "workflow/", {"action": "withdraw", "comment": "撤\x00稿"}),
        (Status.PUBLISHED, "correction/", {"text": "更正\x00"}),
    ],
)
def test_a_nul_byte_in_a_comment_reason_or_correction_writes_nothing(staff, state, view, data):
    article = ArticleFactory(
        status=state, created_by=staff.reporter, **({"publish_at": None} if state != Status.PUBLISHED else {})
    )
    response = logged_in(staff.superuser).post(f"/admin/articles/article/{article.pk}/{view}", data)
    assert response.status_code == 400
    article.refresh_from_db()
    assert article.status == state
    assert not article.transitions.exists() and not article.corrections.exists()


# --- the 三审 view: only STEPS are actions, permission before parsing ----------------------


@pytest.mark.parametrize("action", ["edit_published", "correct", "import", "nonsense"])
def test_an_action_that_is_not_a_step_is_a_message(staff, in_final_review, action):
    response = step(logged_in(staff.superuser), in_final_review, action=action)
    assert response.status_code == 200
    assert "未知的操作。" in said(response)
    assert not in_final_review.transitions.exists()


def test_the_rules_refuse_a_recorded_action_by_name(staff, in_final_review):
    from articles.review_rules import check_step

    with pytest.raises(ValidationError, match="不是三审里可以执行的操作"):
        check_step(staff.superuser, "import", in_final_review)


@pytest.mark.parametrize("publish_at", ["2026-13-01T08:00", "2026-02-30T08:00", "0001-01-01T00:00"])
def test_a_reporter_gets_403_whatever_time_they_type(staff, in_final_review, publish_at):
    response = logged_in(staff.reporter).post(
        f"/admin/articles/article/{in_final_review.pk}/workflow/", {"action": "publish", "publish_at": publish_at}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "fields, year",
    [
        ({"publish_at": "0001-01-01T00:00"}, 1),
        ({"publish_at": "9999-12-31T23:59"}, 9999),
        ({"publish_at_0": "1999-12-31", "publish_at_1": "08:00"}, 1999),
        ({"publish_at": "2101-01-01T08:00"}, 2101),
    ],
)
def test_a_schedule_outside_the_window_is_refused_saying_the_window(staff, in_final_review, fields, year):
    response = step(logged_in(staff.chief), in_final_review, action="publish", **fields)
    assert f"发布时间{WINDOW}，这里填的是 {year} 年。" in said(response)
    in_final_review.refresh_from_db()
    assert in_final_review.status == Status.FINAL_REVIEW


def test_the_service_refuses_the_window_too(staff, in_final_review):
    with pytest.raises(ValidationError, match=WINDOW):
        services.article_publish(article=in_final_review, by=staff.chief, at=datetime(9999, 12, 31, tzinfo=UTC))


def test_re_signing_a_scheduled_article_moves_its_first_publication(staff, in_final_review):
    services.article_publish(article=in_final_review, by=staff.chief, at=datetime(2099, 12, 31, tzinfo=UTC))
    in_final_review.refresh_from_db()
    services.article_publish(article=in_final_review, by=staff.chief, at=datetime(2098, 6, 1, tzinfo=UTC))
    in_final_review.refresh_from_db()
    assert in_final_review.first_published_at == in_final_review.publish_at == datetime(2098, 6, 1, tzinfo=UTC)


def test_re_publishing_after_a_withdrawal_keeps_the_first_publication(staff):
    article = ArticleFactory(created_by=staff.reporter)
    first = article.first_published_at
    services.article_withdraw(article=article, by=staff.chief, reason="核实")
    article.refresh_from_db()
    article.status = Status.FINAL_REVIEW
    article.save()
    services.article_publish(article=article, by=staff.chief)
    article.refresh_from_db()
    assert article.first_published_at == first


# --- the change form and the change list ---------------------------------------------------


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_an_expiry_outside_the_window_is_refused_on_the_field(staff, date):
    article = ArticleFactory(draft=True, created_by=staff.reporter)
    response = logged_in(staff.editor).post(
        f"/admin/articles/article/{article.pk}/change/",
        article_form(article, expire_at_0=date, expire_at_1="08:00"),
    )
    assert response.status_code == 200  # the form again, with the error on 下线时间
    assert f"下线时间{WINDOW}" in response.content.decode()
    article.refresh_from_db()
    assert article.expire_at is None


@pytest.mark.parametrize("value", [" ", "abc", "99999999999999999999"])
def test_a_bogus_autocomplete_value_is_an_invalid_choice(staff, value):
    article = ArticleFactory(draft=True, created_by=staff.reporter)
    response = logged_in(staff.editor).post(
        f"/admin/articles/article/{article.pk}/change/", article_form(article, series=value)
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


@pytest.mark.parametrize("selected", ["abc", "99999999999999999999", "1.5"])
def test_a_bogus_bulk_selection_is_a_message(staff, selected):
    article = ArticleFactory(draft=True, created_by=staff.reporter)
    response = logged_in(staff.superuser).post(
        "/admin/articles/article/",
        {"action": "submit_selected", "_selected_action": [str(article.pk), selected], "index": "0"},
        follow=True,
    )
    assert response.status_code == 200
    assert f"所选的条目无效（“{selected}”不是这张列表里的条目），没有执行任何操作。" in said(response)
    article.refresh_from_db()
    assert article.status == Status.DRAFT


# Every admin the site shows, django-axes' (re-registered in articles/admin/users.py) too.
OWN_APPS = {"articles", "images", "proofing", "auth", "axes"}


def test_every_admin_of_ours_checks_its_bulk_selection(staff):
    from django.contrib import admin

    client = logged_in(staff.superuser)
    for model in admin.site._registry:
        if model._meta.app_label not in OWN_APPS:
            continue
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        response = client.post(url, {"action": "delete_selected", "_selected_action": "abc", "index": "0"})
        assert response.status_code == 302, url
