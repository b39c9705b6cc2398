"""Presence (在场): the article page names the colleagues who have its edit
page open now, editing or only reading; a page that stopped reporting for
90 seconds, or said it left, is gone."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services
from articles.models import ArticleOpen
from tests.factories import ArticleFactory, UserFactory
from tests.forms import article_form
from tests.helpers.admin_pages import change_url
from tests.pages import text

pytestmark = pytest.mark.django_db


def presence_url(article):
    return f"/admin/articles/article/{article.pk}/presence/"


def open_page(client, article) -> str:
    """Open the article's change page; its page identity (as presence.js reads it)."""
    html = client.get(change_url(article)).content.decode()
    return re.search(r'data-page="([0-9a-f]{32})"', html)[1]


def beat(client, article, page, state="reading"):
    return client.post(presence_url(article), {"page": page, "state": state}, content_type="application/json")


def answer(response) -> list[str]:
    """The others present, as presence.js shows them: "陈编辑 正在编辑"."""
    assert response.status_code == 200, response.content.decode()
    return [f"{person['name']} {person['label']}" for person in response.json()["present"]]


def banner(html: str) -> str:
    """The presence banner's text as the page opens, "" when it is hidden."""
    tag = re.search(r'<p class="presence"[^>]*>', html)[0]
    return "" if re.search(r"\shidden\b", tag) else text(html, "presence")


def banner_for(client, article) -> str:
    return banner(client.get(change_url(article)).content.decode())


@pytest.fixture
def chen(client_for):
    return client_for(UserFactory(username="chen", first_name="陈编辑", roles=["编辑"]))


@pytest.fixture
def lin(client_for):
    return client_for(UserFactory(username="lin", first_name="林编辑", roles=["编辑"]))


@pytest.fixture
def article():
    return ArticleFactory(draft=True, title="开平碉楼")


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


def test_opening_the_page_makes_you_present_to_others_but_not_to_yourself(chen, lin, article):
    assert banner_for(chen, article) == ""  # alone
    html = lin.get(change_url(article)).content.decode()
    assert (
        banner(html)
        == "现在也打开着这篇文章：陈编辑 正在查看。 保存时如果对方已先保存，你的保存会被拒绝，改动不会丢失。"
    )
    assert "林编辑" not in banner(html)
    assert banner_for(chen, article).startswith("现在也打开着这篇文章：林编辑 正在查看。")


def test_leaving_the_page_clears_it_at_once(chen, lin, article):
    page = open_page(chen, article)
    lin_page = open_page(lin, article)
    assert answer(beat(lin, article, lin_page)) == ["陈编辑 正在查看"]

    left = chen.post(presence_url(article), {"page": page, "state": "left"})  # navigator.sendBeacon: a form
    assert left.status_code == 200
    assert answer(beat(lin, article, lin_page)) == []
    assert banner_for(lin, article) == ""


def test_leaving_one_tab_keeps_you_present_in_the_other(chen, lin, article):
    first, second = open_page(chen, article), open_page(chen, article)
    beat(chen, article, first, "left")
    assert banner_for(lin, article).startswith("现在也打开着这篇文章：陈编辑 正在查看。")
    beat(chen, article, second, "left")
    assert banner_for(lin, article) == ""


def test_a_page_not_heard_from_for_90_seconds_is_gone(chen, lin, article, clock):
    page = open_page(chen, article)
    lin_page = open_page(lin, article)
    clock.shift(timedelta(seconds=89))
    assert answer(beat(lin, article, lin_page)) == ["陈编辑 正在查看"]
    clock.shift(timedelta(seconds=2))  # 91 s after 陈编辑 opened it, no heartbeat since
    assert answer(beat(lin, article, lin_page)) == []

    # Heartbeats keep a page present: 80 s after the last one it still is.
    assert answer(beat(chen, article, page)) == ["林编辑 正在查看"]  # the same page, back again
    clock.shift(timedelta(seconds=80))
    assert banner_for(lin, article).startswith("现在也打开着这篇文章：陈编辑 正在查看。")
    clock.shift(timedelta(seconds=11))
    assert banner_for(lin, article) == ""


def test_expired_pages_are_forgotten_when_someone_opens_a_page(chen, lin, article, clock):
    open_page(chen, article)
    clock.shift(timedelta(minutes=5))
    open_page(lin, ArticleFactory(draft=True))
    assert list(ArticleOpen.objects.values_list("user__username", flat=True)) == ["lin"]


def test_editing_or_only_reading(chen, lin, article, client_for):
    page = open_page(chen, article)
    lin_page = open_page(lin, article)
    assert answer(beat(chen, article, page, "editing")) == ["林编辑 正在查看"]
    assert answer(beat(lin, article, lin_page)) == ["陈编辑 正在编辑"]
    html = lin.get(change_url(article)).content.decode()
    assert banner(html).startswith("现在也打开着这篇文章：陈编辑 正在编辑。")
    assert 'data-editing="true"' in html

    # Someone who may only read the article (a reporter, not its author) is reading whatever the page says.
    reporter = client_for(UserFactory(username="wang", first_name="王芳", roles=["记者"]))
    beat(reporter, article, open_page(reporter, article), "editing")
    assert answer(beat(lin, article, lin_page)) == ["陈编辑 正在编辑", "王芳 正在查看"]


def test_one_entry_per_colleague_editing_if_editing_in_any_tab(chen, lin, article):
    reading, writing = open_page(chen, article), open_page(chen, article)
    beat(chen, article, writing, "editing")
    beat(chen, article, reading, "reading")
    assert answer(beat(lin, article, open_page(lin, article))) == ["陈编辑 正在编辑"]


def test_those_editing_come_first_then_in_the_order_they_opened(chen, lin, article, client_for, clock):
    huang = client_for(UserFactory(username="huang", first_name="黄主任", roles=["编辑"]))
    open_page(huang, article)
    clock.shift(timedelta(seconds=1))
    beat(chen, article, open_page(chen, article), "editing")
    assert answer(beat(lin, article, open_page(lin, article))) == ["陈编辑 正在编辑", "黄主任 正在查看"]


def test_presence_is_per_article(chen, lin, article):
    open_page(chen, ArticleFactory(draft=True, title="另一篇"))
    assert banner_for(lin, article) == ""


def test_a_save_or_a_review_step_is_not_presence(chen, lin, article, client_for):
    saved = chen.post(change_url(article), {**article_form(article), "_save": "保存"})
    assert saved.status_code == 302
    reporter_user = UserFactory(username="li", first_name="李明", roles=["记者"])
    own = ArticleFactory(draft=True, created_by=reporter_user)
    reporter = client_for(reporter_user)
    stepped = reporter.post(f"/admin/articles/article/{own.pk}/workflow/", {"action": "submit"})
    assert stepped.status_code == 302
    assert banner_for(lin, article) == ""
    assert banner_for(lin, own) == ""


def test_a_refused_save_shows_the_page_as_editing_and_leaves_reporting_to_it(chen, lin, article):
    loaded = article_form(article)
    chen.post(change_url(article), {**loaded, "body": "<p>陈编辑先保存。</p>", "_continue": "1"})
    html = lin.post(change_url(article), {**loaded, "body": "<p>林编辑后保存。</p>"}).content.decode()
    assert "保存被拒绝" in html
    assert 'data-state="editing"' in html  # presence.js reports it at once
    assert not ArticleOpen.objects.filter(user__username="lin").exists()


def test_only_those_who_may_see_the_article_report(article, client_for):
    nobody = client_for(UserFactory(username="guest", first_name="访客"))  # staff, in no group
    response = beat(nobody, article, services.new_page())
    assert response.status_code == 403
    assert response.json() == {"error": "你没有权限查看这篇文章。"}

    anonymous = Client().post(presence_url(article), {"page": services.new_page(), "state": "reading"})
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    assert not ArticleOpen.objects.exists()

    missing = beat(client_for(UserFactory(roles=["编辑"])), ArticleFactory.build(pk=999_999), services.new_page())
    assert missing.status_code == 404 and missing.json() == {"error": "没有这篇文章。"}


def test_reports_need_the_csrf_token_the_page_carries(article):
    user = UserFactory(username="chen", first_name="陈编辑", roles=["编辑"])
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    html = browser.get(change_url(article)).content.decode()
    page = re.search(r'data-page="([0-9a-f]{32})"', html)[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    body = json.dumps({"page": page, "state": "editing"})
    assert browser.post(presence_url(article), body, content_type="application/json").status_code == 403
    sent = browser.post(presence_url(article), body, content_type="application/json", headers={"X-CSRFToken": token})
    assert sent.status_code == 200
    assert ArticleOpen.objects.get().is_editing
    # The beacon on leaving is a form with the token in it.
    gone = browser.post(presence_url(article), {"csrfmiddlewaretoken": token, "page": page, "state": "left"})
    assert gone.status_code == 200 and not ArticleOpen.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (
            {"page": "0" * 32, "state": "typing"},
            "json",
            "未知的在场状态“typing”：只能是 reading（查看）、editing（编辑）或 left（离开）。",
        ),
        ({"page": "0" * 32}, "json", "未知的在场状态“”：只能是 reading（查看）、editing（编辑）或 left（离开）。"),
        ({"page": "0" * 32, "state": "typing"}, "form", "未知的在场状态“typing”"),
        ({"page": "../../etc", "state": "reading"}, "json", "页面标识不对：应为 32 位十六进制数字，请刷新页面。"),
        ({"page": 42, "state": "reading"}, "json", "页面标识不对"),
        ({"page": "0" * 32, "state": ["reading"]}, "json", "未知的在场状态"),
        ("{not json", "raw", "请求格式不对：应为 JSON 对象，含 page 和 state。"),
        (["reading"], "json", "请求格式不对"),
        (b"\xff\xfe", "raw", "请求格式不对"),
    ],
)
def test_bad_reports_get_a_clear_message(chen, article, body, content_type, message):
    if content_type == "form":
        response = chen.post(presence_url(article), body)
    else:
        data = body if content_type == "raw" else json.dumps(body)
        response = chen.post(presence_url(article), data, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"].startswith(message)
    assert not ArticleOpen.objects.exists()


def test_reports_are_posts(chen, article):
    assert chen.get(presence_url(article)).status_code == 405


def test_the_page_tells_its_script_where_and_how_often_to_report(chen, article):
    html = chen.get(change_url(article)).content.decode()
    tag = re.search(r'<p class="presence"[^>]*>', html)[0]
    assert f'data-url="{presence_url(article)}"' in tag
    assert f'data-interval="{services.editing.HEARTBEAT_SECONDS}"' in tag
    assert 'data-state="reading"' in tag
    assert '<script src="/static/articles/presence.js" defer></script>' in html


def test_a_heartbeat_costs_the_same_however_many_are_present(chen, article, client_for):
    page = open_page(chen, article)
    beat(chen, article, page)
    with CaptureQueriesContext(connection) as one:
        assert len(answer(beat(chen, article, page))) == 0
    for n in range(5):
        colleague = client_for(UserFactory(username=f"c{n}", roles=["编辑"]))
        open_page(colleague, article)
    with CaptureQueriesContext(connection) as six:
        assert len(answer(beat(chen, article, page))) == 5
    assert len(six) == len(one)
