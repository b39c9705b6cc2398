"""定时发布 and 下线时间 use one date-time widget (Django's admin date and time
boxes), both in Beijing time; a date that does not exist is a Chinese message,
never a 500 (articles/admin/schedule.py)."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.http import QueryDict

from articles.admin.schedule import publish_at_from
from articles.models import Article
from tests.factories import ArticleFactory, UserFactory
from tests.forms import article_form
from tests.pages import texts

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def in_final_review(staff):
    return ArticleFactory(status=Status.FINAL_REVIEW, publish_at=None, created_by=staff.reporter)


def sign(client, article, **fields):
    response = client.post(
        f"/admin/articles/article/{article.pk}/workflow/", {"action": "publish", **fields}, follow=True
    )
    assert response.status_code == 200
    return " ".join(texts(response.content.decode(), "messagelist"))


def test_both_times_use_the_admin_date_and_time_boxes(in_final_review, client_for, staff):
    html = client_for(staff.superuser).get(f"/admin/articles/article/{in_final_review.pk}/change/").content.decode()
    for name in ("publish_at", "expire_at"):  # 定时发布 in the 三审 panel, 下线时间 in the form
        assert f'name="{name}_0" class="vDateField"' in html
        assert f'name="{name}_1" class="vTimeField"' in html
    assert 'type="datetime-local"' not in html
    assert "北京时间；留空则立即发布" in html
    assert html.count("admin/js/admin/DateTimeShortcuts.js") == 1 and html.count("admin/js/calendar.js") == 1


def test_the_widget_works_where_the_article_form_is_read_only(in_final_review, client_for):
    """A signer who may not edit the article (a newsroom's own group) still gets the widget's scripts."""
    signer = UserFactory(username="signer", first_name="签发人")
    signer.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=["view_article", "review_final"])
    )
    html = client_for(signer).get(f"/admin/articles/article/{in_final_review.pk}/change/").content.decode()
    assert 'name="expire_at_0"' not in html  # read-only here
    assert 'name="publish_at_0" class="vDateField"' in html
    assert "admin/js/admin/DateTimeShortcuts.js" in html and "admin/js/calendar.js" in html
    assert html.index("/admin/jsi18n/") < html.index("admin/js/calendar.js")  # its words, loaded first


def test_scheduling_with_the_widget_is_beijing_time(in_final_review, client_for, staff):
    said = sign(client_for(staff.chief), in_final_review, publish_at_0="2099-12-01", publish_at_1="08:00")
    in_final_review.refresh_from_db()
    assert in_final_review.status == Status.PUBLISHED and in_final_review.is_scheduled, said
    assert in_final_review.publish_at == datetime(2099, 12, 1, 0, 0, tzinfo=UTC)  # 08:00 in Beijing


@pytest.mark.parametrize(
    "fields",
    [
        {"publish_at": "2026-13-01T08:00"},
        {"publish_at": "2026-02-30T08:00"},
        {"publish_at": "2026-02-30"},
        {"publish_at": "明天早上"},
        {"publish_at_0": "2026-02-30", "publish_at_1": "08:00"},
        {"publish_at_0": "2026-13-01", "publish_at_1": "08:00"},
        {"publish_at_0": "2026-12-01", "publish_at_1": "25:00"},
        {"publish_at_0": "2026-12-01", "publish_at_1": ""},
        {"publish_at_0": "", "publish_at_1": "08:00"},
    ],
)
def test_an_impossible_time_is_refused_in_chinese(in_final_review, client_for, staff, fields):
    said = sign(client_for(staff.chief), in_final_review, **fields)
    shown = " ".join(value for value in fields.values() if value)
    assert f"看不懂发布时间“{shown}”：请填写存在的日期和时间（北京时间），例如 2026-12-01 08:00。" in said
    in_final_review.refresh_from_db()
    assert in_final_review.status == Status.FINAL_REVIEW
    assert not in_final_review.transitions.exists()


def test_blank_means_now():
    assert publish_at_from(QueryDict("publish_at_0=&publish_at_1=")) is None
    assert publish_at_from(QueryDict("")) is None


@pytest.mark.parametrize(
    "query",
    [
        "publish_at_0=2026/12/01&publish_at_1=08:00",  # as the calendar and clock fill them in
        "publish_at_0=2026-12-01&publish_at_1=08:00",
        "publish_at=2026-12-01T08:00",  # from a script, as a single value
        "publish_at=2026-12-01 08:00",
    ],
)
def test_what_the_widget_and_scripts_send_is_read_alike(query):
    assert publish_at_from(QueryDict(query)) == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)


def test_the_refusal_is_a_validation_error():
    with pytest.raises(ValidationError) as refusal:
        publish_at_from(QueryDict("publish_at=2026-02-30T08:00"))
    assert refusal.value.code == "invalid_schedule"


def test_expire_time_is_beijing_time_and_shown_back_the_same(admin_client):
    article = ArticleFactory(draft=True)
    url = f"/admin/articles/article/{article.pk}/change/"
    response = admin_client.post(url, article_form(article, expire_at_0="2099-12-02", expire_at_1="08:00"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.expire_at == datetime(2099, 12, 2, 0, 0, tzinfo=UTC)
    html = admin_client.get(url).content.decode()
    # As the calendar writes dates (zh_Hans DATE_INPUT_FORMATS[0]); 定时发布 reads them too.
    assert 'name="expire_at_0" value="2099/12/02" class="vDateField"' in html
    assert 'name="expire_at_1" value="08:00" class="vTimeField"' in html
