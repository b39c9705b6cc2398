"""The whole 三审 chain in a real browser, from CKEditor to the public page."""

import pytest

from articles.models import Article
from tests.factories import ContributorFactory, SeriesFactory, UserFactory
from tests.helpers.browser import wait_for_ckeditor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "鹤山“百千万工程”见成效：侨乡村焕新颜"
BODY = "鹤山市把“百千万工程”作为头号工程，侨乡村旧貌换新颜。"


def take_step(page, live_server, article, label):
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()
    assert label in page.locator(".messagelist").inner_text()


def test_reporter_writes_and_three_reviewers_sign_off(live_server, login):
    SeriesFactory(name="百千万")
    ContributorFactory(name="赵可义")
    UserFactory(username="reporter", first_name="李明", roles=["记者"])
    UserFactory(username="editor", first_name="陈编辑", roles=["编辑"])
    UserFactory(username="deskhead", first_name="黄主任", roles=["部门主任"])
    UserFactory(username="chief", first_name="张总编", roles=["总编辑"])

    # The reporter writes in CKEditor: Chinese text, some of it bold.
    page = login("reporter")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_title", TITLE)
    wait_for_ckeditor(page)
    body = page.frame_locator("#cke_id_body iframe.cke_wysiwyg_frame").locator("body")
    body.click()
    page.keyboard.type(BODY)
    page.keyboard.press("Enter")
    page.keyboard.press("Control+B")
    page.keyboard.type("开平碉楼")
    page.keyboard.press("Control+B")
    assert "<strong>开平碉楼</strong>" in page.evaluate("CKEDITOR.instances.id_body.getData()")
    page.get_by_role("button", name="保存并继续编辑").click()
    page.wait_for_load_state()
    article = Article.objects.get()
    assert article.title == TITLE
    assert BODY in article.body  # curly quotes kept as characters, not &ldquo; entities
    assert "<strong>开平碉楼</strong>" in article.body
    assert article.created_by.username == "reporter"

    take_step(page, live_server, article, "提交审稿")
    assert Article.objects.get().status == Article.Status.FIRST_REVIEW

    # Nobody else has seen it yet: the public gets a 404.
    anonymous = page.context.browser.new_page()
    assert anonymous.goto(f"{live_server.url}{article.get_absolute_url()}").status == 404

    take_step(login("editor"), live_server, article, "初审通过")
    take_step(login("deskhead"), live_server, article, "复审通过")
    take_step(login("chief"), live_server, article, "终审签发")
    assert Article.objects.get().is_live

    response = anonymous.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert response.status == 200
    assert anonymous.locator("h1").inner_text() == TITLE
    assert BODY in anonymous.locator(".article-body").inner_text()
    assert anonymous.locator(".article-body strong").inner_text() == "开平碉楼"
    anonymous.goto(live_server.url)
    assert TITLE in anonymous.locator("main").inner_text()  # on the home page (as its lead story)
    anonymous.close()
