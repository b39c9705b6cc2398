"""Driving the admin's CKEditor in a real browser (Playwright pages)."""

import time


def wait_for_ckeditor(page, field="id_body"):
    # Polling with evaluate works under any page CSP (wait_for_function may not).
    for _ in range(100):
        if (
            page.evaluate(f"window.CKEDITOR && CKEDITOR.instances.{field} && CKEDITOR.instances.{field}.status")
            == "ready"
        ):
            return
        time.sleep(0.1)
    raise AssertionError("CKEditor did not become ready")


def editor_data(page) -> str:
    return page.evaluate("CKEDITOR.instances.id_body.getData()")


def type_in_body(page, text):
    body = page.frame_locator("#cke_id_body iframe.cke_wysiwyg_frame").locator("body")
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(text)


def wait_until(condition, what):
    for _ in range(100):
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(what)
