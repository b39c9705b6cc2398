"""Picture uploads through CKEditor 4's own upload code in a real browser, with
images/static/images/editor-uploads.js: the CSRF header goes along, and a
refusal shows the server's Chinese message instead of "HTTP error"."""

import time

import pytest

from images.models import Image
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

UPLOAD = """async ([name, type, text]) => {
  const editor = CKEDITOR.instances.pictures;
  let blob;
  if (text === null) {
    const canvas = document.createElement("canvas");
    canvas.width = 40; canvas.height = 30;
    canvas.getContext("2d").fillRect(0, 0, 20, 15);
    blob = await new Promise(resolve => canvas.toBlob(resolve, type));
  } else {
    blob = new Blob([text], {type});
  }
  const loader = editor.uploadRepository.create(new File([blob], name, {type}));
  return new Promise(resolve => {
    loader.on("uploaded", () => resolve({status: "uploaded", url: loader.url}));
    loader.on("error", () => resolve({status: "error", message: loader.message}));
    loader.upload(editor.config.uploadUrl);
  });
}"""


def editor_on(page):
    """CKEditor with the upload plugin and our script, on a page of the editor's
    own origin and policy (the library window), as the article form loads them."""
    page.evaluate("window.CKEDITOR_BASEPATH = '/static/ckeditor/ckeditor/'")
    page.add_script_tag(url="/static/ckeditor/ckeditor/ckeditor.js")
    page.add_script_tag(url="/static/images/editor-uploads.js")
    page.evaluate(
        """() => {
          const area = document.createElement("textarea");
          area.id = "pictures";
          document.body.appendChild(area);
          CKEDITOR.replace("pictures", {extraPlugins: "uploadimage", uploadUrl: "/editor/upload/"});
        }"""
    )
    for _ in range(100):
        if (
            page.evaluate("window.CKEDITOR && CKEDITOR.instances.pictures && CKEDITOR.instances.pictures.status")
            == "ready"
        ):
            return
        time.sleep(0.1)
    raise AssertionError("CKEditor did not become ready")


def test_uploads_carry_the_csrf_token_and_refusals_read_in_chinese(live_server, login, media):
    UserFactory(username="reporter", first_name="李明", roles=["记者"])
    page = login("reporter")
    page.goto(f"{live_server.url}/editor/browse/")
    editor_on(page)

    pasted = page.evaluate(UPLOAD, ["pasted.png", "image/png", None])
    svg = page.evaluate(UPLOAD, ["logo.svg", "image/svg+xml", '<svg xmlns="http://www.w3.org/2000/svg"></svg>'])

    image = Image.objects.get()
    assert pasted == {"status": "uploaded", "url": image.file.url}
    assert svg["status"] == "error"
    assert svg["message"].startswith("文件里夹带了网页或脚本代码（<svg>），出于安全原因不能上传。")
