"""The editors' desk in a real browser, as one story with four colleagues:
a reporter (王芳) writes, an editor (李明) returns the article with a reason,
the reporter finds it on her 待办 dashboard and at the top of the article,
fixes it (bringing in a 禁用 word from the starter list) and resubmits; 初审
and 复审 pass; the 敏感词 panel shows the word to the editor-in-chief, whose
终审签发 is refused until the word is changed; then it is signed and the
public page shows the fixed text. Names are 姓名 throughout; no console
error, no CSP violation. Screenshots under test-results/screenshots/editors-desk/
(git ignores it)."""

import importlib

import pytest
from django.apps import apps

from articles.models import Article, Transition
from proofing.models import SensitiveWord
from tests.browser.csp import CSPViolations
from tests.factories import UserFactory
from tests.helpers.browser import editor_data, type_in_body, wait_for_ckeditor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "开平碉楼群迎来修缮季"
FIRST_DRAFT = "开平碉楼群今年将修缮三十座碉楼。"
REASON = "请补充游客人数，并写明修缮资金来源。"
ADDED = "修缮资金由省市两级财政承担，今年已接待游客五十万人次，其中有来自北朝鲜的文化交流团。"
BANNED = "北朝鲜"  # 禁用 in proofing/starter/sensitive.txt, to be written 朝鲜
FIXED = "其中有来自朝鲜的文化交流团。"


@pytest.fixture
def screenshots(request):
    folder = request.config.rootpath / "test-results" / "screenshots" / "editors-desk"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Watch:
    """Console errors, uncaught exceptions and CSP violations of one page."""

    def __init__(self, page):
        self.page = page
        self.csp = CSPViolations(page)
        self.errors = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def assert_clean(self):
        assert self.errors == []
        assert self.csp.all() == []


def open_page(page, url):
    page.goto(url)
    page.wait_for_load_state()


def save(page):
    page.get_by_role("button", name="保存并继续编辑").click()
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1, page.locator(".messagelist").inner_text()


def step(page, action, label, comment=None):
    """Take a 三审 step from the article page's 三审 panel."""
    form = page.locator(f"#workflow form.step-{action}")
    if comment is not None:
        form.locator("textarea[name=comment]").fill(comment)
    form.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()


def select_in_body(page, text):
    """Select ``text`` in CKEditor's editing frame, as a mouse drag over it would."""
    page.frame_locator("#cke_id_body iframe.cke_wysiwyg_frame").locator("body").click()
    page.evaluate(
        """(text) => {
            const doc = CKEDITOR.instances.id_body.document.$;
            const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const at = walker.currentNode.data.indexOf(text);
                if (at >= 0) {
                    const range = doc.createRange();
                    range.setStart(walker.currentNode, at);
                    range.setEnd(walker.currentNode, at + text.length);
                    const selection = doc.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    return;
                }
            }
            throw new Error(`not in the body: ${text}`);
        }""",
        text,
    )


@pytest.fixture
def starter_lists():
    """The starter lists as a fresh database has them: an earlier test's flush
    may have emptied the tables their migration filled."""
    importlib.import_module("proofing.migrations.0003_starter_lists").load_starter(apps, None)


def test_returned_fixed_blocked_and_signed(live_server, login, screenshots, starter_lists):
    assert SensitiveWord.objects.filter(word=BANNED, level="block").exists()  # the starter list's entry
    UserFactory(username="wangfang", last_name="王", first_name="芳", roles=["记者"])
    UserFactory(username="liming", last_name="李", first_name="明", roles=["编辑"])
    UserFactory(username="huangwei", last_name="黄", first_name="伟", roles=["部门主任"])
    UserFactory(username="zhangqiang", last_name="张", first_name="强", roles=["总编辑"])
    admin = f"{live_server.url}/admin/"
    watched = []

    def sign_in(username):
        page = login(username)
        watched.append(Watch(page))
        return page

    # 王芳 writes in CKEditor, saves and submits.
    reporter = sign_in("wangfang")
    open_page(reporter, f"{admin}articles/article/add/")
    reporter.fill("#id_title", TITLE)
    wait_for_ckeditor(reporter)
    reporter.frame_locator("#cke_id_body iframe.cke_wysiwyg_frame").locator("body").click()
    reporter.keyboard.type(FIRST_DRAFT)
    save(reporter)
    article = Article.objects.get()
    change = f"{admin}articles/article/{article.pk}/change/"
    assert FIRST_DRAFT in article.body and article.created_by.username == "wangfang"
    step(reporter, "submit", "提交审稿")
    assert Article.objects.get().status == Article.Status.FIRST_REVIEW

    # 李明 finds it under 待我审, opens it and returns it with a reason.
    editor = sign_in("liming")
    open_page(editor, admin)
    waiting = editor.locator("#todo-review")
    assert "待我审" in waiting.inner_text()
    waiting.get_by_role("link", name=TITLE).click()
    editor.wait_for_load_state()
    assert editor.url == change
    step(editor, "return", "退回", comment=REASON)
    assert "现在是“已退回”" in editor.locator(".messagelist").inner_text()

    # 王芳 sees it come back: on her dashboard, with the reason and who gave it ...
    reporter = sign_in("wangfang")
    open_page(reporter, admin)
    returned = reporter.locator("#todo-returned")
    assert TITLE in returned.inner_text()
    assert returned.locator(".todo-reason").inner_text().startswith("退回意见（李明，")
    assert REASON in returned.locator(".todo-reason").inner_text()
    reporter.locator("#todo").screenshot(path=screenshots / "reporter-dashboard-returned.png")

    # ... and at the top of the article, above the 三审 panel and the form.
    returned.get_by_role("link", name=TITLE).click()
    reporter.wait_for_load_state()
    notice = reporter.locator(".return-notice")
    assert REASON in notice.inner_text() and "李明" in notice.inner_text()
    workflow_panel_follows = (
        "(box) => !!(box.compareDocumentPosition(document.querySelector('#workflow'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    assert notice.evaluate(workflow_panel_follows)

    # She adds what was asked (with a 禁用 word she does not know about) and resubmits.
    wait_for_ckeditor(reporter)
    type_in_body(reporter, ADDED)
    save(reporter)
    assert BANNED in Article.objects.get().body
    step(reporter, "submit", "提交审稿")
    assert Article.objects.get().status == Article.Status.FIRST_REVIEW
    assert "已重新提交审稿" in reporter.locator(".return-notice").inner_text()  # the reminder stays hers

    # 初审 by 李明, 复审 by 黄伟.
    editor = sign_in("liming")
    open_page(editor, change)
    step(editor, "pass_first", "初审通过")
    desk_head = sign_in("huangwei")
    open_page(desk_head, admin)
    assert TITLE in desk_head.locator("#todo-review").inner_text()
    open_page(desk_head, change)
    step(desk_head, "pass_second", "复审通过")
    assert Article.objects.get().status == Article.Status.FINAL_REVIEW

    # 张强 sees the 禁用 word in the 敏感词 panel ...
    chief = sign_in("zhangqiang")
    open_page(chief, admin)
    chief.locator("#todo-review").get_by_role("link", name=TITLE).click()
    chief.wait_for_load_state()
    panel = chief.locator("#proofing")
    assert "禁用 1 处" in panel.inner_text()
    assert f"含禁用词“{BANNED}”，不能终审签发" in panel.locator(".proofing-blocked").inner_text()
    hit = panel.locator(".proofing-hit[data-level=block]")
    assert hit.locator("mark").inner_text() == BANNED
    assert "正文第" in hit.inner_text() and "建议改为“朝鲜”" in hit.inner_text()
    panel.screenshot(path=screenshots / "proofing-panel-at-final-review.png")

    # ... and 终审签发 does not go through: without a reason the browser holds the form,
    publish = chief.locator("#workflow form.step-publish")
    publish.get_by_role("button", name="终审签发").click()
    assert publish.locator("#id_override_reason").evaluate("(box) => box.validationMessage") != ""
    assert chief.locator(".messagelist").count() == 0
    # and a reason of blanks is no reason: the server refuses, naming the word.
    publish.locator("#id_override_reason").fill("　 ")
    step(chief, "publish", "终审签发")
    assert f"《{TITLE}》含禁用词“{BANNED}”，不能终审签发" in chief.locator(".messagelist .error").inner_text()
    assert Article.objects.get().status == Article.Status.FINAL_REVIEW

    # 张强 may edit at 终审: he writes 朝鲜, the panel is clear, and 终审签发 goes through.
    wait_for_ckeditor(chief)
    select_in_body(chief, BANNED)
    chief.keyboard.type("朝鲜")
    assert FIXED in editor_data(chief) and BANNED not in editor_data(chief)
    save(chief)
    assert "已保存的文字里没有发现敏感词和错别字。" in chief.locator("#proofing").inner_text()
    assert chief.locator("#id_override_reason").count() == 0
    step(chief, "publish", "终审签发")
    assert "终审签发" in chief.locator(".messagelist .success").inner_text()
    article = Article.objects.get()
    assert article.is_live

    # The sign-off record names everyone as 姓名.
    record = chief.locator(".inline-group", has_text="签发记录").inner_text()
    for name in ("王芳", "李明", "黄伟", "张强"):
        assert name in record
    for reversed_name in ("芳 王", "芳王", "明 李", "伟 黄", "强 张"):
        assert reversed_name not in record
    actors = list(article.transitions.order_by("created_at", "id").values_list("action", "actor__username"))
    assert actors == [
        (Transition.Action.SUBMIT, "wangfang"),
        (Transition.Action.RETURN, "liming"),
        (Transition.Action.SUBMIT, "wangfang"),
        (Transition.Action.PASS_FIRST, "liming"),
        (Transition.Action.PASS_SECOND, "huangwei"),
        (Transition.Action.PUBLISH, "zhangqiang"),
    ]

    # The public page shows the fixed text.
    reader = chief.context.browser.new_page()
    watched.append(Watch(reader))
    response = reader.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert response.status == 200
    text = reader.locator(".article-body").inner_text()
    assert FIRST_DRAFT in text and FIXED in text and BANNED not in text
    reader.screenshot(path=screenshots / "published-article.png", full_page=True)

    for watch in watched:
        watch.assert_clean()
    reader.close()
