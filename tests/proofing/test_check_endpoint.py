"""The live check while writing: POST the text, get the hits as JSON."""

import pytest
from django.test import Client
from django.urls import reverse

from proofing.models import SensitiveWord
from tests.factories import ArticleFactory, ContributorFactory, ImageFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/proofing/sensitiveword/check/"


@pytest.fixture(autouse=True)
def banned():
    SensitiveWord.objects.create(word="测试禁用词", level="block", category="violence", suggestion="别的说法")


def test_the_url_is_the_admins():
    assert reverse("admin:proofing_check") == URL


def test_hits_with_positions_for_the_text_being_written(staff, client_for):
    response = client_for(staff.reporter).post(
        URL,
        {
            "title": "再接再励",
            "kicker": "",
            "subtitle": "",
            "summary": "",
            "body": '<p>第一段。</p><figure class="image"><img src="/x.jpg" alt="">'
            "<figcaption>测试禁用词</figcaption></figure>",
            "names": "李明\n王芳",
        },
    )
    assert response.status_code == 200
    result = response.json()
    assert (result["blocking"], result["warnings"], result["blocking_words"]) == (1, 1, ["测试禁用词"])
    block, warn = result["hits"]
    assert block == {
        "field": "body",
        "field_label": "正文",
        "start": 5,
        "end": 10,
        "word": "测试禁用词",
        "kind": "sensitive",
        "level": "block",
        "level_label": "禁用",
        "category": "暴力",
        "suggestion": "别的说法",
        "note": "",
        "before": "第一段。 ",
        "after": "",
    }
    assert (warn["field"], warn["start"], warn["end"], warn["suggestion"]) == ("title", 0, 4, "再接再厉")


def test_the_cover_caption_and_its_credit_are_checked(staff, client_for):
    cover = ImageFactory(caption="现场有测试禁用词", credit=ContributorFactory(name="按装师傅"))
    result = client_for(staff.reporter).post(URL, {"title": "", "cover": cover.pk}).json()
    assert [(hit["field"], hit["start"], hit["word"]) for hit in result["hits"]] == [
        ("cover_caption", 3, "测试禁用词"),
        ("names", 0, "按装"),
    ]


def test_csrf_is_required(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff.reporter)
    assert client.post(URL, {"title": "测试禁用词"}).status_code == 403
    client.get("/admin/articles/article/add/")  # the page the editor works on sets the token
    token = client.cookies["csrftoken"].value
    response = client.post(URL, {"title": "测试禁用词", "csrfmiddlewaretoken": token})
    assert response.status_code == 200 and response.json()["blocking"] == 1


def test_only_staff_who_may_change_articles(staff, client_for, client):
    response = client.post(URL, {"title": "测试禁用词"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    reader = UserFactory(username="viewer")  # staff, no permissions
    response = client_for(reader).post(URL, {"title": "测试禁用词"})
    assert response.status_code == 403
    assert response.json() == {"error": "你没有权限修改文章，不能使用检查。"}
    assert client_for(staff.editor).post(URL, {"title": "测试禁用词"}).status_code == 200


def test_only_post(staff, client_for):
    assert client_for(staff.reporter).get(URL, {"title": "测试禁用词"}).status_code == 405


@pytest.mark.parametrize(
    "data, field",
    [
        ({"title": "长" * 201}, "title"),
        ({"title": "", "cover": "第一张"}, "cover"),
        ({"title": "", "cover": "999999"}, "cover"),
        ({"unknown": "x"}, "__all__"),
    ],
)
def test_bad_input_is_a_400_in_chinese(staff, client_for, data, field):
    response = client_for(staff.reporter).post(URL, data)
    assert response.status_code == 400
    result = response.json()
    assert result["error"] == "提交的内容有误。"
    assert field in result["errors"]
    assert any("\u4e00" <= char <= "\u9fff" for char in result["errors"][field][0])  # in Chinese


def test_the_button_is_offered_to_writers_only(staff, client_for):
    html = client_for(staff.reporter).get("/admin/articles/article/add/").content.decode()
    assert 'data-check-url="/admin/proofing/sensitiveword/check/"' in html
    assert "检查敏感词和错别字</button>" in html and "proofing/panel.js" in html
    assert "还没有检查" in html
    in_review = ArticleFactory(status="first_review", publish_at=None, created_by=staff.reporter)
    html = client_for(staff.reporter).get(f"/admin/articles/article/{in_review.pk}/change/").content.decode()
    assert 'id="proofing"' in html  # the hits, read-only
    assert "data-check-url" not in html and "proofing/panel.js" not in html
