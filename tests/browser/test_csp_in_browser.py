"""The Content-Security-Policy in a real browser: readers' pages and CKEditor
in the admin run without a single violation, each under its own policy."""

import io
import time

import pytest
from PIL import Image

from tests.browser.csp import CSPViolations
from tests.factories import ArticleFactory, BylineFactory, UserFactory
from tests.helpers.browser import wait_for_ckeditor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def jpeg(width=40, height=30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "qiaoxiang.jpg").write_bytes(jpeg())
    return tmp_path


FIGURE = (
    '<figure class="image"><img src="/media/pictures/qiaoxiang.jpg" alt="侨乡" width="40" height="30">'
    "<figcaption>侨乡新貌</figcaption></figure>"
)


def test_readers_pages_run_under_the_strict_policy(browser, live_server, media):
    article = ArticleFactory(title="侨乡新貌", body=f"<h2>小标题</h2><p>正文，<strong>加粗</strong>。</p>{FIGURE}")
    BylineFactory(article=article)
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    violations = CSPViolations(page)
    response = page.goto(f"{live_server.url}{article.get_absolute_url()}")
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert page.locator("h1").inner_text() == "侨乡新貌"
    # The stylesheet (from /static/) applied, and the picture (from /media/) loaded.
    assert page.evaluate("getComputedStyle(document.querySelector('.masthead')).display") != "inline"
    # Pictures in the body load lazily: wait until it has loaded, or failed to.
    page.wait_for_function("document.querySelector('.article-body img').complete")
    assert page.evaluate("document.querySelector('.article-body img').naturalWidth") == 40
    for path in ("/", article.series.get_absolute_url(), "/search/?q=侨乡", "/no-such-page/"):
        page.goto(f"{live_server.url}{path}")
    assert violations.all() == []
    context.close()


def test_ckeditor_runs_under_the_admin_policy(login, live_server, media):
    UserFactory(username="reporter", first_name="李明", roles=["记者"])
    page = login("reporter")
    violations = CSPViolations(page)
    response = page.goto(f"{live_server.url}/admin/articles/article/add/")
    assert "'unsafe-eval'" not in response.headers["content-security-policy"]
    wait_for_ckeditor(page)
    editor = "CKEDITOR.instances.id_body"
    page.frame_locator("#cke_id_body iframe.cke_wysiwyg_frame").locator("body").click()
    page.keyboard.type("鹤山侨乡")
    page.keyboard.press("Control+B")
    page.keyboard.type("加粗")
    assert "<strong>加粗</strong>" in page.evaluate(f"{editor}.getData()")
    # A pasted picture is shown from a data: URL while it uploads (whatever
    # the upload's outcome, which tests/images cover).
    page.evaluate(
        """([name, bytes]) => {
          const data = new DataTransfer();
          data.items.add(new File([new Uint8Array(bytes)], "paste.jpg", {type: "image/jpeg"}));
          const paste = new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true});
          CKEDITOR.instances[name].editable().$.dispatchEvent(paste);
        }""",
        ["id_body", list(jpeg(80, 60))],
    )
    upload = f"{editor}.uploadRepository.loaders[0]"
    for _ in range(100):
        if page.evaluate(f"{upload} && ['uploaded', 'error', 'abort'].includes({upload}.status)"):
            break
        time.sleep(0.1)
    assert page.evaluate(f"{upload}.status") in ("uploaded", "error", "abort")
    # A captioned picture becomes an image2 widget (its drag handle is a data: image).
    page.evaluate(f"{editor}.insertHtml({FIGURE!r})")
    assert page.evaluate(f"Object.values({editor}.widgets.instances).filter(w => w.name === 'image').length") >= 1
    # Dialogs load their scripts from the plugins' folders.
    for command in ("link", "table", "specialchar", "image"):
        page.evaluate(f"{editor}.execCommand('{command}')")
        page.locator(".cke_dialog").last.wait_for(state="visible")
        page.keyboard.press("Escape")
    for _ in range(2):  # to the source and back
        page.evaluate(f"{editor}.execCommand('source')")
        time.sleep(0.3)
        wait_for_ckeditor(page)
    assert "<figcaption>侨乡新貌</figcaption>" in page.evaluate(f"{editor}.getData()")
    assert violations.all() == []
