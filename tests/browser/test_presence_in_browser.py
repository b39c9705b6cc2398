"""Presence (在场) in a real browser: two editors on one article see each
other live, editing or only reading, and a closed page leaves the other's
banner within seconds (articles/static/articles/presence.js). A screenshot of
the banner is saved under test-results/screenshots/presence/ (git ignores it)."""

import time

import pytest

from articles.models import ArticleOpen
from articles.services import editing
from tests.browser.csp import CSPViolations
from tests.factories import ArticleFactory, UserFactory
from tests.helpers.browser import type_in_body, wait_for_ckeditor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def banner_shows(page, wanted: str, seconds: float = 5) -> None:
    """Wait for the presence banner to read ``wanted`` ("" = hidden), without reloading."""
    banner = page.locator("#presence")
    deadline = time.monotonic() + seconds
    while True:
        shown = "" if banner.is_hidden() else banner.inner_text()
        if (wanted in shown) if wanted else not shown:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"the banner reads {shown!r}, not {wanted!r}")
        time.sleep(0.1)


def test_two_editors_see_each_other_and_a_closed_page_goes(live_server, login, monkeypatch, request):
    monkeypatch.setattr(editing, "HEARTBEAT_SECONDS", 1)  # the pages' data-interval: a beat a second
    UserFactory(username="chen", first_name="陈编辑", roles=["编辑"])
    UserFactory(username="lin", first_name="林编辑", roles=["编辑"])
    article = ArticleFactory(draft=True, title="开平碉楼", body="<p>开平碉楼有一千八百多座。</p>")
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"

    chen = login("chen")
    chen.goto(url)
    wait_for_ckeditor(chen)
    banner_shows(chen, "")  # alone

    lin = login("lin")
    violations = CSPViolations(lin)
    lin.goto(url)
    wait_for_ckeditor(lin)
    banner_shows(lin, "现在也打开着这篇文章：陈编辑 正在查看。")
    banner_shows(chen, "现在也打开着这篇文章：林编辑 正在查看。")  # live: 陈's page was open before 林 came

    type_in_body(chen, "陈编辑补充：今年修缮了三十座碉楼。")
    banner_shows(lin, "现在也打开着这篇文章：陈编辑 正在编辑。")
    assert "林编辑 正在查看" in chen.locator("#presence").inner_text()  # 林 only reads
    folder = request.config.rootpath / "test-results" / "screenshots" / "presence"
    folder.mkdir(parents=True, exist_ok=True)
    lin.locator("#presence").screenshot(path=folder / "presence-banner.png")

    with chen.expect_event("close"):
        chen.close(run_before_unload=True)
    banner_shows(lin, "", seconds=5)  # "left", well before the 90 s expiry
    assert list(ArticleOpen.objects.values_list("user__username", flat=True)) == ["lin"]
    assert violations.all() == []
