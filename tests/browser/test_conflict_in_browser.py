"""Two editors save the same article in a real browser: the second is refused,
sees what the first changed, reloads with their own text kept beside the
editor, merges and saves. Screenshots of the conflict diff and the reloaded
page are saved under test-results/screenshots/conflict/ (git ignores it)."""

import pytest

from articles import services
from articles.models import Article
from tests.browser.csp import CSPViolations
from tests.factories import ArticleFactory, UserFactory
from tests.helpers.browser import editor_data, type_in_body, wait_for_ckeditor, wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHEN_TYPED = "陈编辑补充：开平碉楼群已列入世界遗产名录。"
LIN_TYPED = "林编辑补充：今年修缮了三十座碉楼。"


@pytest.fixture
def screenshots(request):
    folder = request.config.rootpath / "test-results" / "screenshots" / "conflict"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_and_continue(page):
    page.get_by_role("button", name="保存并继续编辑").click()
    page.wait_for_load_state()


def test_two_editors_conflict_and_the_second_sees_the_diff(live_server, login, screenshots):
    chen_user = UserFactory(username="chen", first_name="陈编辑", roles=["编辑"])
    UserFactory(username="lin", first_name="林编辑", roles=["编辑"])
    article = ArticleFactory(draft=True, title="开平碉楼", body="<p>开平碉楼有一千八百多座。</p>")
    services.article_save(article=article, by=chen_user)  # version 2, kept in the revisions
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"

    # Both open version 2.
    chen, lin = login("chen"), login("lin")
    violations = CSPViolations(lin)
    for page in (chen, lin):
        page.goto(url)
        wait_for_ckeditor(page)

    # 陈编辑 saves first.
    type_in_body(chen, CHEN_TYPED)
    save_and_continue(chen)
    assert CHEN_TYPED in Article.objects.get().body

    # 林编辑's save is refused, with what 陈编辑 changed.
    type_in_body(lin, LIN_TYPED)
    save_and_continue(lin)
    assert "保存被拒绝：陈编辑 在" in lin.locator(".errornote, .errorlist").all_inner_texts()[-1]
    panel = lin.locator("#conflict")
    assert "他人改了什么" in panel.inner_text()
    assert CHEN_TYPED in panel.locator("ins").all_inner_texts()
    assert LIN_TYPED not in panel.inner_text()
    wait_for_ckeditor(lin)
    assert LIN_TYPED in editor_data(lin)  # 林's text is still in the editor
    panel.screenshot(path=screenshots / "conflict-diff.png")
    lin.screenshot(path=screenshots / "conflict-page.png", full_page=True)

    # Reload: the current text in the editor, 林's own under it.
    panel.get_by_role("link", name="载入最新内容，我的文字保留在旁边").click()
    lin.wait_for_load_state()
    wait_for_ckeditor(lin)
    assert "已载入最新内容" in lin.locator(".messagelist").inner_text()
    assert CHEN_TYPED in editor_data(lin) and LIN_TYPED not in editor_data(lin)
    own = lin.locator("#own-drafts")
    assert LIN_TYPED in own.inner_text()
    assert own.evaluate("(box) => box.previousElementSibling.classList.contains('field-body')")  # under the editor
    assert lin.locator(".autosave-notice").count() == 0  # the kept text is on the page already
    lin.screenshot(path=screenshots / "conflict-reloaded.png", full_page=True)

    # 林 merges (types the addition again) and saves: it goes through.
    type_in_body(lin, LIN_TYPED)
    save_and_continue(lin)
    assert lin.locator(".messagelist .success").count() == 1
    saved = Article.objects.get()
    assert CHEN_TYPED in saved.body and LIN_TYPED in saved.body and saved.updated_by.username == "lin"
    wait_for_ckeditor(lin)
    assert lin.locator("#own-drafts").count() == 0
    wait_until(
        lambda: lin.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('newsroom.autosave.')).length") == 0,
        "the local drafts of the merged text were not cleared after the save",
    )
    assert violations.all() == []
