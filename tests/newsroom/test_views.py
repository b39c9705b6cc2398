"""CSRF failures and error pages in Chinese; security.txt."""

import re
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


def test_a_form_without_its_token_gets_a_chinese_page(strict_client, settings):
    settings.DEBUG = False
    response = strict_client.post("/admin/login/", {"username": "a", "password": "b"})
    html = response.content.decode()
    assert response.status_code == 403
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<h1>提交没有成功</h1>" in html and "安全校验" in html
    assert 'class="masthead"' in html  # the site's own frame (base.html)
    assert "CSRF cookie not set" not in html  # the technical reason only when debugging


def test_the_reason_is_shown_when_debugging(strict_client, settings):
    settings.DEBUG = True
    html = strict_client.post("/admin/login/", {"username": "a"}).content.decode()
    assert "原因：CSRF cookie not set." in html


def test_an_editor_upload_without_its_token_gets_ckeditors_json(strict_client):
    strict_client.force_login(UserFactory(username="reporter", roles=["记者"]))
    response = strict_client.post(reverse("ckeditor_upload"), {"upload": b""})
    assert response.status_code == 403
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert body["uploaded"] == 0
    assert "CSRF" in body["error"]["message"] and "刷新页面" in body["error"]["message"]
    assert set(body) == {"uploaded", "error"} and set(body["error"]) == {"message"}


@pytest.mark.parametrize("headers", [{"HTTP_ACCEPT": "application/json"}, {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}])
def test_a_script_asking_for_json_gets_json(strict_client, headers):
    response = strict_client.post("/admin/login/", {}, **headers)
    assert response.status_code == 403
    assert response.json()["uploaded"] == 0


def test_permission_denied_is_a_chinese_page(client_for):
    response = client_for(UserFactory(username="reporter", roles=["记者"])).get("/admin/auth/user/")
    assert response.status_code == 403
    assert "没有权限访问这个页面" in response.content.decode()


def test_a_bad_request_is_a_chinese_page(client, settings):
    settings.DEBUG = False
    response = client.get("/", HTTP_HOST="evil.example.org")
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


def test_security_txt_is_404_until_a_contact_is_set(client, settings):
    settings.NEWSROOM_SECURITY_CONTACT = ""
    assert client.get("/.well-known/security.txt").status_code == 404


def test_security_txt_names_the_contact(client, settings):
    settings.NEWSROOM_SECURITY_CONTACT = "security@jmrb.example"
    response = client.get("/.well-known/security.txt")
    text = response.content.decode()
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "Contact: mailto:security@jmrb.example\n" in text
    assert "Canonical: http://testserver/.well-known/security.txt\n" in text
    (expires,) = re.findall(r"^Expires: (\S+)$", text, re.M)
    expires_at = datetime.strptime(expires, "%Y-%m-%dT%H:%M:%S%z")
    assert timezone.now() < expires_at < timezone.now() + timedelta(days=365)  # RFC 9116: under a year
    settings.NEWSROOM_SECURITY_CONTACT = "https://jmrb.example/security"
    assert "Contact: https://jmrb.example/security\n" in client.get("/.well-known/security.txt").content.decode()
