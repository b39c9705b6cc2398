"""CSRF failures and error pages in Chinese, in the site's frame; security.txt,
robots.txt and the favicon."""

import re
from datetime import datetime, timedelta
from io import BytesIO

import pytest
from django.contrib.staticfiles import finders
from django.template import loader
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from newsroom.views import FAVICON
from tests.factories import ArticleFactory, UserFactory, preview_url

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


def test_a_missing_page_is_a_404_in_the_sites_frame(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>找不到这个页面</h1>" in html and html.count("<h1") == 1
    assert 'class="masthead"' in html and 'href="/static/articles/site.css"' in html
    assert 'class="skip-link" href="#main"' in html and '<main id="main"' in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.urls("tests.newsroom.urls_that_fail")
def test_a_server_error_is_a_500_in_the_sites_frame_without_urls_or_queries(settings, django_assert_num_queries):
    # That URLconf has none of the site's URLs: a {% url %} in the page would fail.
    settings.DEBUG = False
    with django_assert_num_queries(0):
        response = Client(raise_request_exception=False).get("/broken/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>服务器出错了</h1>" in html and html.count("<h1") == 1
    assert f'<a class="masthead-name" href="/">{settings.NEWSROOM_SITE_NAME}</a>' in html
    assert 'href="/static/articles/site.css"' in html and 'media="print"' in html
    assert "<script" not in html and " style=" not in html  # the strict CSP holds here too
    assert "Content-Security-Policy" in response.headers


@pytest.mark.urls("tests.newsroom.urls_that_fail")
def test_the_500_page_renders_with_djangos_empty_context():
    html = loader.render_to_string("500.html", {})  # as django.views.defaults.server_error does
    assert "<h1>服务器出错了</h1>" in html and '<a class="masthead-name" href="/">首页</a>' in html


def test_robots_txt_keeps_crawlers_out_of_the_newsroom_and_names_the_sitemaps(client):
    response = client.get("/robots.txt")
    lines = response.content.decode().splitlines()
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert lines[0] == "User-agent: *"
    disallowed = [line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow: ")]
    assert sorted(disallowed) == ["/admin/", "/editor/", "/preview/"]
    sitemaps = [line.removeprefix("Sitemap: ") for line in lines if line.startswith("Sitemap: ")]
    assert sitemaps == ["http://testserver/sitemap.xml", "http://testserver/sitemap-news.xml"]
    for url in sitemaps:
        assert client.get(url.removeprefix("http://testserver")).status_code == 200, url
    assert "Sitemap: https://testserver/sitemap.xml" in client.get("/robots.txt", secure=True).content.decode()
    assert client.head("/robots.txt").status_code == 200


def test_robots_txt_disallows_where_the_newsroom_really_is():
    draft = ArticleFactory(draft=True)
    for url in (reverse("admin:index"), reverse("ckeditor_upload"), preview_url(draft)):
        assert url.startswith(("/admin/", "/editor/", "/preview/")), url


def test_favicon_ico_is_the_sites_mark(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/x-icon"
    assert "max-age" in response.headers["Cache-Control"]
    icon = Image.open(BytesIO(b"".join(response.streaming_content)))
    assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]
    assert icon.convert("RGB").getpixel((1, icon.height // 2)) == (0xB3, 0x26, 0x1E)  # the accent red


def test_pages_link_the_svg_mark_and_the_print_stylesheet(client):
    html = client.get("/no-such-page/").content.decode()
    assert '<link rel="icon" href="/static/articles/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="stylesheet" href="/static/articles/print.css" media="print">' in html
    for name in ("articles/favicon.svg", "articles/print.css", FAVICON):
        assert finders.find(name), name
