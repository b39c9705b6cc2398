"""The article form's local autosave (articles/static/articles/autosave.js) in
a real browser: a tab closed without saving loses nothing."""

import pytest

from articles.models import Article
from tests.browser.csp import CSPViolations
from tests.factories import ArticleFactory, UserFactory
from tests.helpers.browser import editor_data, type_in_body, wait_for_ckeditor, wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TYPED = "侨乡村的老人说，碉楼修好了，年轻人也回来了。"


def close_without_saving(page):
    with page.expect_event("close"):
        page.close(run_before_unload=True)


def drafts_in_storage(page) -> list[str]:
    return page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('newsroom.autosave.article.'))")


def test_a_closed_tab_loses_nothing(live_server, login):
    UserFactory(username="editor", first_name="陈编辑", roles=["编辑"])
    article = ArticleFactory(draft=True, title="开平碉楼", body="<p>原稿。</p>")
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"

    page = login("editor")
    violations = CSPViolations(page)
    page.goto(url)
    wait_for_ckeditor(page)
    assert page.locator(".autosave-notice").count() == 0  # nothing saved locally yet
    page.fill("#id_title", "开平碉楼修缮完工")
    type_in_body(page, TYPED)
    assert violations.all() == []
    close_without_saving(page)  # the browser crashed, the tab was closed …
    assert Article.objects.get().body == "<p>原稿。</p>"

    page = page.context.new_page()  # … and the editor opens the article again
    page.goto(url)
    wait_for_ckeditor(page)
    notice = page.locator(".autosave-notice")
    notice.wait_for()
    assert "发现未保存的本地草稿（" in notice.inner_text()
    assert TYPED not in editor_data(page)  # the page shows the stored text until the editor chooses
    notice.get_by_role("button", name="恢复").click()
    wait_until(lambda: TYPED in editor_data(page), "the draft did not come back into CKEditor")
    assert page.input_value("#id_title") == "开平碉楼修缮完工"
    notice.wait_for(state="detached")  # the notice goes once the draft is back

    page.get_by_role("button", name="保存并继续编辑").click()
    page.wait_for_load_state()
    assert "成功" in page.locator(".messagelist .success").inner_text()
    saved = Article.objects.get()
    assert saved.title == "开平碉楼修缮完工" and TYPED in saved.body
    wait_for_ckeditor(page)
    assert drafts_in_storage(page) == []  # saved: the local copy is gone
    page.reload()
    wait_for_ckeditor(page)
    assert page.locator(".autosave-notice").count() == 0


def test_a_new_article_closed_before_its_first_save_comes_back_and_can_be_discarded(live_server, login):
    UserFactory(username="reporter", first_name="李明", roles=["记者"])
    url = f"{live_server.url}/admin/articles/article/add/"
    page = login("reporter")
    page.goto(url)
    wait_for_ckeditor(page)
    page.fill("#id_title", "还没保存的新稿")
    type_in_body(page, TYPED)
    close_without_saving(page)

    page = page.context.new_page()
    page.goto(url)
    wait_for_ckeditor(page)
    notice = page.locator(".autosave-notice")
    notice.wait_for()
    notice.get_by_role("button", name="丢弃").click()
    assert notice.count() == 0
    assert drafts_in_storage(page) == []
    assert page.input_value("#id_title") == ""
    page.reload()
    wait_for_ckeditor(page)
    assert page.locator(".autosave-notice").count() == 0
    assert not Article.objects.exists()
