"""The article change list at 1280 px, the live 字数 under the editor and the preview
links' copy and 撤销 buttons, in a real browser. Screenshots are saved under
test-results/screenshots/change-list/ (git ignores it)."""

import time

import pytest

from articles.models import Article
from articles.wordcount import word_count
from tests.browser.csp import CSPViolations
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, SeriesFactory, UserFactory
from tests.helpers.browser import wait_for_ckeditor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG_TITLES = [
    "以“头号力度”拼出“头号工程”新图景：江门加力提速推进百县千镇万村高质量发展工程",
    "鹤山“百千万工程”见成效：侨乡村焕新颜，产业兴旺、生态宜居、乡风文明",
    "台山市四九镇东方村“党建+音乐”红色文旅线路开通，游客络绎不绝",
]
# Markup, entities, a caption, Latin letters and digits, no-break and ideographic spaces, an emoji.
SAMPLE = (
    "<h2>小标题</h2><p>“百千万工程”&nbsp;2024 年，GDP 增长 5%。</p>"
    '<figure class="image"><img src="/x.jpg" alt="侨乡" width="4" height="3">'
    "<figcaption>图片说明 ABC</figcaption></figure>"
    "<ul><li>一</li><li>二</li></ul><p>\u3000\u3000😀&amp;&lt;b&gt;</p>"
)


def screenshot(page, request, name):
    out = request.config.rootpath / "test-results" / "screenshots" / "change-list"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)


def test_change_list_title_column_is_readable_at_1280px(login, live_server, request):
    UserFactory(username="editor", first_name="陈编辑", roles=["编辑"])
    series = SeriesFactory(name="百千万")
    for title in LONG_TITLES:
        article = ArticleFactory(title=title, series=series, body="<p>正文。</p>" * 40, word_count=160)
        BylineFactory(article=article, contributor=ContributorFactory(name="赵可义"))
        BylineFactory(article=article, contributor=ContributorFactory(name="李明"), role="通讯员")
    page = login("editor")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/articles/article/")
    screenshot(page, request, "change-list-1280")
    cell = page.locator("#result_list tbody tr").first.locator(".field-title")
    characters_per_line = page.evaluate(
        "(cell) => cell.getBoundingClientRect().width / parseFloat(getComputedStyle(cell).fontSize)",
        cell.element_handle(),
    )
    assert characters_per_line >= 12, characters_per_line
    # Long titles wrap at a sensible width rather than stretching the table.
    assert characters_per_line <= 40, characters_per_line
    # Every column fits: neither the page nor the list scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.evaluate("(r) => r.scrollWidth <= r.clientWidth", page.locator(".results").element_handle())
    assert "字数" in page.locator("#result_list thead").inner_text()


def counter_text(page, expected, tries=50):
    for _ in range(tries):
        text = page.locator(".word-count").inner_text()
        if text == expected:
            return text
        time.sleep(0.1)
    return text


def test_live_word_count_under_the_editor_follows_the_servers_rule(login, live_server):
    UserFactory(username="reporter", first_name="李明", roles=["记者"])
    page = login("reporter")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    wait_for_ckeditor(page)
    assert counter_text(page, "字数：0") == "字数：0"

    page.fill("#id_title", "字数统计")
    page.frame_locator("#cke_id_body iframe.cke_wysiwyg_frame").locator("body").click()
    page.keyboard.type("江门 GDP 增长")
    assert counter_text(page, "字数：7") == "字数：7"  # updates while typing
    page.keyboard.type("5%。")
    assert counter_text(page, "字数：10") == "字数：10"

    # The browser's rule and the server's agree, on markup, entities and odd spaces too.
    assert page.evaluate("(html) => NewsroomWordCount.wordCount(html)", SAMPLE) == word_count(SAMPLE)

    page.get_by_role("button", name="保存并继续编辑").click()
    page.wait_for_load_state()
    assert Article.objects.get().word_count == 10
    assert "10" in page.locator(".field-word_count .readonly").inner_text()
    assert counter_text(page, "字数：10") == "字数：10"


def test_preview_link_is_listed_copied_and_revoked(login, live_server, request):
    reporter = UserFactory(username="reporter", first_name="李明", roles=["记者"])
    draft = ArticleFactory(title="侨乡新貌（草稿）", draft=True, created_by=reporter, body="<p>初稿内容。</p>")
    page = login("reporter")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    violations = CSPViolations(page)
    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/change/")
    page.get_by_role("button", name="生成预览链接").click()
    page.wait_for_load_state()
    row = page.locator(".preview-link-list tbody tr").first
    assert "李明" in row.inner_text() and "有效" in row.inner_text()
    url = row.locator(".preview-link-url").input_value()
    row.get_by_role("button", name="复制").click()
    assert counter_like(row.get_by_role("button"), "已复制")
    assert page.evaluate("navigator.clipboard.readText()") == url
    screenshot(page, request, "preview-links")
    assert violations.all() == []

    reader = page.context.browser.new_page()
    assert reader.goto(url).status == 200 and "初稿内容。" in reader.locator(".article-body").inner_text()
    row.get_by_role("button", name="撤销").click()
    page.wait_for_load_state()
    assert "已撤销" in page.locator(".preview-link-list tbody tr").first.inner_text()
    response = reader.goto(url)
    assert response.status == 404 and "找不到这个页面" in reader.content()
    reader.close()


def counter_like(buttons, label, tries=30):
    for _ in range(tries):
        if label in buttons.all_inner_texts():
            return True
        time.sleep(0.1)
    return False
