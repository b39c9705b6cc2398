"""Pictures in a real browser: a reporter pastes a photo into CKEditor, writes
its caption, picks a cover from the library; after 三审 readers see both, as
renditions, on a desktop and on a phone, with no CSP violation anywhere."""

import time

import pytest

from articles import services
from articles.models import Article, Transition
from images.models import Image
from tests import pictures
from tests.browser.csp import CSPViolations
from tests.factories import ContributorFactory, ImageFactory, SeriesFactory, UserFactory
from tests.helpers.browser import wait_for_ckeditor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "侨乡村焕新颜"
CAPTION = "鹤山市侨乡村的新面貌。"
EDITOR = "CKEDITOR.instances.id_body"
PASTE = """([name, bytes]) => {
  const data = new DataTransfer();
  data.items.add(new File([new Uint8Array(bytes)], "手机照片.jpg", {type: "image/jpeg"}));
  const paste = new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true});
  CKEDITOR.instances[name].editable().$.dispatchEvent(paste);
}"""


def poll(page, expression, what, tries=150):
    for _ in range(tries):
        if page.evaluate(expression):
            return
        time.sleep(0.1)
    raise AssertionError(f"{what}: {expression}")


def test_paste_caption_cover_publish_and_read(login, live_server, media):
    SeriesFactory(name="百千万")
    photographer = ContributorFactory(name="李华")
    cover = ImageFactory(size=(1600, 900), caption="开平碉楼群", alt="开平碉楼", credit=photographer)
    UserFactory(username="reporter", first_name="李明", roles=["记者"])
    desk = {
        role: UserFactory(username=username, roles=[role])
        for role, username in [("编辑", "editor"), ("部门主任", "deskhead"), ("总编辑", "chief")]
    }

    page = login("reporter")
    violations = CSPViolations(page)
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_title", TITLE)
    wait_for_ckeditor(page)
    page.frame_locator("#cke_id_body iframe.cke_wysiwyg_frame").locator("body").click()
    page.keyboard.type("鹤山市把“百千万工程”作为头号工程。")

    # Paste a phone photo: it uploads, and becomes a captioned figure.
    page.evaluate(PASTE, ["id_body", list(pictures.jpeg(1200, 800, exif=pictures.gps_exif()))])
    poll(page, f"{EDITOR}.getData().includes('<figcaption')", "the pasted picture became a figure")
    assert Image.objects.count() == 2  # the cover, and the pasted photo in the library
    pasted = Image.objects.exclude(pk=cover.pk).get()
    assert pasted.uploaded_by.username == "reporter"
    assert pasted.file.url in page.evaluate(f"{EDITOR}.getData()")

    # Type the caption (图片说明) into the figure.
    frame = page.frame_locator("#cke_id_body iframe.cke_wysiwyg_frame")
    frame.locator("figcaption").click()
    page.keyboard.type(CAPTION)
    assert f"<figcaption>{CAPTION}</figcaption>" in page.evaluate(f"{EDITOR}.getData()")

    # Pick the cover (头图) from the library.
    page.locator(".field-cover .select2-selection").first.click()
    page.locator(".select2-search__field").fill("碉楼")
    page.locator(".select2-results__option", has_text="开平碉楼群").click()
    page.get_by_role("button", name="保存并继续编辑").click()
    page.wait_for_load_state()
    article = Article.objects.get()
    assert article.cover == cover
    assert f'src="{pasted.file.url}"' in article.body
    assert f"<figcaption>{CAPTION}</figcaption>" in article.body
    assert violations.all() == []

    # 三审 (the whole chain in a browser is tests/browser/test_review_in_browser.py).
    services.article_submit(article=article, by=article.created_by)
    for action, role in [
        (Transition.Action.PASS_FIRST, "编辑"),
        (Transition.Action.PASS_SECOND, "部门主任"),
        (Transition.Action.PUBLISH, "总编辑"),
    ]:
        article = services.article_transition(article=article, by=desk[role], action=action)
    assert article.is_live

    for width, height in [(1280, 900), (390, 844)]:  # a desktop, a phone
        context = page.context.browser.new_context(
            locale="zh-CN", viewport={"width": width, "height": height}, device_scale_factor=1
        )
        reader = context.new_page()
        reader_violations = CSPViolations(reader)
        assert reader.goto(f"{live_server.url}{article.get_absolute_url()}").status == 200
        reader.locator(".article-body figure img").scroll_into_view_if_needed()
        poll(reader, "[...document.images].every(i => i.complete && i.naturalWidth > 0)", "pictures loaded")
        shown = reader.evaluate("[...document.images].map(i => [i.currentSrc, i.getBoundingClientRect().width])")
        assert len(shown) == 2, shown  # the cover and the pasted photo
        for src, displayed in shown:
            assert "/media/renditions/" in src and src.endswith(".webp"), src  # never the original upload
            assert 0 < displayed <= width
        assert "开平碉楼群" in reader.locator("figure.cover figcaption").inner_text()
        assert "李华 摄" in reader.locator("figure.cover figcaption").inner_text()
        assert reader.locator(".article-body figcaption").inner_text() == CAPTION
        reader.goto(live_server.url)  # the cover on the home page too
        assert "/media/renditions/" in reader.locator(".lead-story picture img").get_attribute("src")  # the lead story
        assert reader_violations.all() == []
        context.close()
