"""A colleague is shown by 姓名 everywhere: 王芳 (family name first, no space)
for a Chinese name, "Ada Lovelace" for a Latin one, the login only when no
name is set (articles/people.py)."""

import re

import pytest
from django.contrib.auth.models import User as Account
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import services
from articles.models import Transition
from articles.people import full_name, user_name
from tests.factories import ArticleFactory, ImageFactory, UserFactory
from tests.forms import article_form
from tests.helpers.admin_pages import change_url
from tests.pages import text, texts

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first_name", "last_name", "shown"),
    [
        ("芳", "王", "王芳"),
        ("可义", "赵", "赵可义"),
        ("李明", "", "李明"),  # the whole name in one box
        ("", "欧阳", "欧阳"),
        (" 芳 ", " 王 ", "王芳"),
        ("Ada", "Lovelace", "Ada Lovelace"),
        ("Ada", "", "Ada"),
        ("", "Lovelace", "Lovelace"),
        ("", "", ""),
    ],
)
def test_full_name(first_name, last_name, shown):
    assert full_name(first_name, last_name) == shown


def test_the_login_only_when_no_name_is_set():
    assert user_name(Account(username="wangfang", first_name="芳", last_name="王")) == "王芳"
    assert user_name(Account(username="wangfang", first_name=" ", last_name="")) == "wangfang"


# (first_name, last_name) → what the newsroom reads; the wrong forms it must never show.
COLLEAGUES = {
    "中文姓名": ({"first_name": "芳", "last_name": "王"}, "王芳", ["芳 王", "芳王", "wangfang"]),
    "Latin name": ({"first_name": "Ada", "last_name": "Lovelace"}, "Ada Lovelace", ["Lovelace Ada", "wangfang"]),
    "no name": ({"first_name": "", "last_name": ""}, "wangfang", []),
}


class Colleague:
    def __init__(self, kind):
        fields, self.name, self.never = COLLEAGUES[kind]
        self.user = UserFactory(username="wangfang", roles=["编辑"], **fields)


@pytest.fixture(params=list(COLLEAGUES))
def colleague(request, db):
    return Colleague(request.param)


@pytest.fixture
def boss(client_for):
    """The superuser looking at what the colleague did."""
    return client_for(UserFactory(username="root", first_name="总", last_name="管", is_superuser=True))


def shows(fragment: str, colleague: Colleague):
    assert colleague.name in fragment
    for wrong in colleague.never:
        assert wrong not in fragment


def test_admin_header_greets_by_name(colleague, client_for):
    html = client_for(colleague.user).get("/admin/").content.decode()
    assert f"欢迎，<strong>{colleague.name}</strong>。" in html
    shows(html.split('id="user-tools"')[1].split("</strong>")[0], colleague)


def test_article_list_last_editor_column(colleague, boss):
    ArticleFactory(created_by=colleague.user, updated_by=colleague.user)
    html = boss.get("/admin/articles/article/").content.decode()
    assert texts(html, "field-updated_by_name") == [colleague.name]


def test_article_page_record_of_creator_and_last_editor(colleague, boss):
    article = ArticleFactory(created_by=colleague.user, updated_by=colleague.user)
    html = boss.get(change_url(article)).content.decode()
    assert text(html, "field-created_by_name") == f"创建人： {colleague.name}"
    assert text(html, "field-updated_by_name") == f"最后修改人： {colleague.name}"


def test_sign_off_record(colleague, boss):
    article = ArticleFactory(draft=True, created_by=colleague.user)
    services.article_transition(article=article, by=colleague.user, action=Transition.Action.SUBMIT)
    html = boss.get(change_url(article)).content.decode()
    (who,) = [cell for cell in texts(html, "field-who") if cell]
    assert who == colleague.name


def test_revisions_name_who_saved(colleague, client_for, boss):
    article = ArticleFactory(draft=True)
    assert client_for(colleague.user).post(change_url(article), article_form(article)).status_code == 302
    html = boss.get(f"/admin/articles/article/{article.pk}/revisions/").content.decode()
    (label,) = re.findall(r"<td>(\d{4}年[^<]*)</td>", html)
    assert label.endswith(f" · {colleague.name}")
    shows(label, colleague)


def test_admin_history_names_who_changed(colleague, client_for, boss):
    article = ArticleFactory(draft=True)
    client_for(colleague.user).post(change_url(article), article_form(article))
    html = boss.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    (row,) = re.findall(r'<th scope="row">.*?</th>\s*<td>(.*?)</td>', html, re.S)
    assert row == colleague.name


def test_presence_banner(colleague, client_for, boss):
    article = ArticleFactory(draft=True)
    client_for(colleague.user).get(change_url(article))
    html = boss.get(change_url(article)).content.decode()
    banner = text(html, "presence")
    assert banner.startswith(f"现在也打开着这篇文章：{colleague.name} 正在查看。")
    shows(banner, colleague)


def test_refused_second_save_names_who_saved_first(colleague, client_for, boss):
    article = ArticleFactory(draft=True)
    loaded = article_form(article)
    client_for(colleague.user).post(change_url(article), article_form(article, body="<p>先保存的。</p>"))
    html = boss.post(change_url(article), {**loaded, "body": "<p>后保存的。</p>"}).content.decode()
    assert f"保存被拒绝：{colleague.name} 在" in html
    for wrong in colleague.never:
        assert f"{wrong} 在" not in html


def test_delete_page_lists_who_opened_the_article(colleague, client_for, boss):
    article = ArticleFactory(draft=True)
    client_for(colleague.user).get(change_url(article))
    html = boss.get(f"/admin/articles/article/{article.pk}/delete/").content.decode()
    assert f"{colleague.name}，" in html


def test_user_list_has_a_name_column(colleague, boss):
    html = boss.get("/admin/auth/user/?q=wangfang").content.decode()
    assert texts(html, "column-full_name") == ["姓名"]
    assert texts(html, "field-full_name") == [colleague.name]
    assert texts(html, "field-roles") == ["编辑"]


def test_user_page_heading_names_the_colleague_and_the_login(colleague, boss):
    html = boss.get(f"/admin/auth/user/{colleague.user.pk}/change/").content.decode()
    heading = colleague.name if colleague.name == "wangfang" else f"{colleague.name}（wangfang）"
    assert f"<h2>{heading}</h2>" in html


def test_group_list_names_the_members(colleague, boss):
    UserFactory(username="zhangsan", first_name="三", last_name="张", roles=["编辑"])
    html = boss.get("/admin/auth/group/").content.decode()
    rows = dict(zip(texts(html, "field-name"), texts(html, "field-members"), strict=True))
    assert sorted(rows["编辑"].split("、")) == sorted([colleague.name, "张三"])
    shows(rows["编辑"], colleague)


def test_picture_uploader(colleague, boss, media):
    image = ImageFactory(uploaded_by=colleague.user)
    listing = boss.get("/admin/images/image/").content.decode()
    assert texts(listing, "field-uploader") == [colleague.name]
    page = boss.get(f"/admin/images/image/{image.pk}/change/").content.decode()
    assert text(page, "field-uploader") == f"上传人： {colleague.name}"


@pytest.mark.parametrize("page", ["/admin/auth/user/", "/admin/auth/group/"])
def test_user_and_group_lists_cost_the_same_however_many_colleagues(boss, page):
    def queries_with(colleagues):
        for n in range(Account.objects.count(), colleagues):
            UserFactory(username=f"u{n}", first_name=f"{n}", last_name="王", roles=["记者", "编辑"])
        with CaptureQueriesContext(connection) as queries:
            assert boss.get(page).status_code == 200
        return len(queries)

    assert queries_with(3) == queries_with(12)
