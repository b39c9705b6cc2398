"""The editor's picture library window (CKEditor's "浏览服务器")."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import ContributorFactory, ImageFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("ckeditor_browse")
FROM_EDITOR = {"CKEditor": "id_body", "CKEditorFuncNum": "3", "langCode": "zh-cn"}


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL, FROM_EDITOR)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_who_may_not_edit_articles_are_refused(client_for):
    # Desk heads and the editor-in-chief edit at their stage now: a reader of articles and pictures is refused.
    reader = UserFactory(username="reader")
    reader.user_permissions.set(Permission.objects.filter(codename__in=["view_article", "view_image"]))
    assert client_for(reader).get(URL).status_code == 403


def test_the_library_lists_pictures_as_thumbnails_to_click(staff, client_for, media):
    image = ImageFactory(caption="鹤山古劳水乡", alt="水乡", credit=ContributorFactory(name="李明"))

    response = client_for(staff.reporter).get(URL, FROM_EDITOR)

    assert response.status_code == 200
    html = response.content.decode()
    assert "图片库" in html and "鹤山古劳水乡" in html and "李明 摄" in html
    assert 'data-func-num="3"' in html
    assert f'data-url="{image.file.url}"' in html
    thumbnails = re.findall(r'<img src="([^"]+)"', html)
    assert thumbnails and all("/renditions/" in src for src in thumbnails)
    assert image.file.url not in thumbnails  # the original is never sent for a thumbnail


def test_the_page_runs_without_inline_script(staff, client_for, media):
    ImageFactory()

    html = client_for(staff.reporter).get(URL, FROM_EDITOR).content.decode()

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert not re.search(r"\sstyle\s*=", html)
    assert "images/browse.js" in html


def test_search_and_pages_keep_the_editor_link(staff, client_for, media):
    ImageFactory(caption="开平碉楼")
    for _ in range(25):
        ImageFactory(caption="台山海岸")

    client = client_for(staff.reporter)
    found = client.get(URL, {**FROM_EDITOR, "q": "碉楼"}).content.decode()
    first_page = client.get(URL, {**FROM_EDITOR, "q": "海岸"}).content.decode()

    assert "开平碉楼" in found and "台山海岸" not in found
    assert "共 25 张" in first_page and "第 1 / 2 页" in first_page
    next_link = re.search(r'<a href="([^"]+)">下一页</a>', first_page).group(1)
    assert "CKEditorFuncNum=3" in next_link and "page=2" in next_link and "q=" in next_link


def test_a_bad_function_number_is_dropped(staff, client_for):
    html = client_for(staff.reporter).get(URL, {"CKEditorFuncNum": "1);alert(1);//"}).content.decode()

    assert 'data-func-num=""' in html


def test_the_page_costs_the_same_queries_however_many_pictures(staff, client_for, media, django_assert_num_queries):
    client = client_for(staff.reporter)
    ImageFactory(credit=ContributorFactory())
    client.get(URL, FROM_EDITOR)  # the session and permissions cached like on any later visit

    # session, user, permissions (2), count, page of pictures with their credits
    with django_assert_num_queries(6):
        client.get(URL, FROM_EDITOR)
    for _ in range(6):
        ImageFactory(credit=ContributorFactory())
    with django_assert_num_queries(6):
        response = client.get(URL, FROM_EDITOR)
    assert response.content.decode().count('class="picture-choice"') == 7
