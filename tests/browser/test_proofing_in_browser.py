"""The 敏感词 and 错别字 panel in a real browser (proofing/static/proofing/panel.js):
the text being written is checked on a pause in typing and on the button,
without any Content-Security-Policy violation. A screenshot of the panel is
saved under test-results/screenshots/proofing/ (git ignores it)."""

import time

import pytest

from proofing.models import CommonMistake, SensitiveWord
from tests.browser.csp import CSPViolations
from tests.factories import ArticleFactory, UserFactory
from tests.helpers.browser import wait_for_ckeditor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def wait_for_text(locator, text):
    for _ in range(100):
        if text in locator.inner_text():
            return
        time.sleep(0.1)
    raise AssertionError(f"“{text}” did not appear in: {locator.inner_text()}")


def test_the_panel_checks_the_text_being_written(live_server, login, request):
    reporter = UserFactory(username="reporter", first_name="李明", roles=["记者"])
    SensitiveWord.objects.create(word="测试禁用词", level="block", category="politics", note="测试用")
    # Also in the starter list, but an earlier test's flush may have emptied the table.
    CommonMistake.objects.get_or_create(wrong="再接再励", defaults={"right": "再接再厉"})
    article = ArticleFactory(draft=True, created_by=reporter, title="侨乡新貌", body="<p>原稿。</p>")

    page = login("reporter")
    violations = CSPViolations(page)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    wait_for_ckeditor(page)
    panel = page.locator("#proofing")
    assert "已保存的文字里没有发现敏感词和错别字。" in panel.inner_text()

    body = page.frame_locator("#cke_id_body iframe.cke_wysiwyg_frame").locator("body")
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("会上有人说了测试禁用词。")
    wait_for_text(panel, "编辑中的文字（未保存）：禁用 1 处，提示 0 处。")  # after the pause, no click
    assert "含禁用词“测试禁用词”，改掉以后才能终审签发。" in panel.inner_text()
    assert panel.locator(".proofing-hit[data-level=block] mark").inner_text() == "测试禁用词"
    assert "禁用 1 处" in page.locator(".proofing-inline").inner_text()  # under the editor too

    page.fill("#id_title", "再接再励")
    page.get_by_role("button", name="检查敏感词和错别字").click()
    wait_for_text(panel, "禁用 1 处，提示 1 处")
    hits = panel.locator(".proofing-hit")
    assert hits.nth(0).get_attribute("data-level") == "block"
    assert "标题第 1 字" in hits.nth(1).inner_text() and "建议改为“再接再厉”" in hits.nth(1).inner_text()

    folder = request.config.rootpath / "test-results" / "screenshots" / "proofing"
    folder.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=str(folder / "panel-while-writing.png"))
    assert violations.all() == []
