"""Content-Security-Policy and the other security headers, page by page."""

import re

import pytest
from django.urls import reverse

from newsroom.csp import EDITOR_PATHS
from tests.factories import ArticleFactory, BylineFactory, UserFactory, preview_url

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    """The CSP header as {directive: [sources]}."""
    header = response.headers["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


@pytest.fixture
def public_pages(db):
    article = ArticleFactory(title="侨乡新貌")
    byline = BylineFactory(article=article)
    draft = ArticleFactory(draft=True, series=article.series)
    return {
        "home": reverse("articles:home"),
        "series": article.series.get_absolute_url(),
        "article": article.get_absolute_url(),
        "contributor": byline.contributor.get_absolute_url(),
        "search": reverse("search:search") + "?q=侨乡",
        "feed": reverse("articles:feed-latest"),
        "series feed": reverse("articles:series-feed", kwargs={"slug": article.series.slug}),
        "sitemap": reverse("articles:sitemap"),
        "preview link": preview_url(draft),
        "404": "/no-such-page/",
    }


def test_every_public_page_sends_the_strict_policy(client, public_pages):
    for name, url in public_pages.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "404" else 200), name
        csp = policy(response)
        assert csp["default-src"] == ["'self'"], name
        assert csp["script-src"] == ["'self'"], name
        assert csp["style-src"] == ["'self'"], name
        assert csp["img-src"] == ["'self'"], name
        assert csp["object-src"] == ["'none'"], name
        assert csp["base-uri"] == ["'self'"], name
        assert csp["form-action"] == ["'self'"], name
        assert csp["frame-ancestors"] == ["'none'"], name
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"], name
        assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"], name
        assert response.headers["X-Frame-Options"] == "DENY", name
        assert response.headers["X-Content-Type-Options"] == "nosniff", name
        assert response.headers["Referrer-Policy"] == "same-origin", name
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin", name


def test_public_templates_carry_no_inline_script_or_style(client, public_pages):
    # The policy would block them; the pages must not depend on them.
    for name, url in public_pages.items():
        html = client.get(url).content.decode()
        if name in ("feed", "series feed", "sitemap"):
            continue
        # JSON-LD is a data block, never run: the policy has nothing to block there.
        lowered = re.sub(r'<script type="application/ld\+json">[^<]*</script>', "", html.lower())
        assert "<script" not in lowered, name
        assert "<style" not in lowered, name
        assert " style=" not in lowered, name
        assert "javascript:" not in lowered, name
        assert not re.search(r"\son[a-z]+\s*=", lowered), name


def test_admin_pages_get_only_what_ckeditor_needs(client, client_for):
    reporter = client_for(UserFactory(username="reporter", roles=["记者"]))
    for url in ("/admin/login/", "/admin/", "/admin/articles/article/", "/admin/articles/article/add/"):
        response = (client if url == "/admin/login/" else reporter).get(url)
        assert response.status_code == 200, url
        csp = policy(response)
        assert csp["script-src"] == ["'self'", "'unsafe-inline'"], url
        assert csp["style-src"] == ["'self'", "'unsafe-inline'"], url
        assert csp["img-src"] == ["'self'", "data:"], url
        # Everything else stays as strict as the public site.
        assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"], url
        assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"], url
        assert csp["frame-ancestors"] == ["'none'"] and csp["form-action"] == ["'self'"], url
        assert csp["base-uri"] == ["'self'"], url
        assert response.headers["X-Frame-Options"] == "DENY", url


def test_the_editor_endpoints_are_under_the_relaxed_paths():
    # newsroom/csp.py names the paths; if the URLconf moves the admin or the
    # editor's endpoints elsewhere, CKEditor would break there: fail here first.
    assert reverse("admin:index").startswith(EDITOR_PATHS)
    assert reverse("ckeditor_upload").startswith("/editor/")
    assert reverse("ckeditor_browse").startswith("/editor/")
    assert "/editor/" in EDITOR_PATHS


def test_a_media_host_elsewhere_and_trusted_image_hosts_are_allowed_for_pictures(client, client_for, settings):
    settings.MEDIA_URL = "https://img.example.com/media/"
    settings.NEWSROOM_IMAGE_HOSTS = ["photos.jmrb.example"]
    csp = policy(client.get(reverse("articles:home")))
    assert csp["img-src"] == ["'self'", "https://img.example.com", "photos.jmrb.example"]
    assert csp["script-src"] == ["'self'"]  # pictures only
    editor = policy(client_for(UserFactory(username="editor", roles=["编辑"])).get("/admin/"))
    assert editor["img-src"] == ["'self'", "data:", "https://img.example.com", "photos.jmrb.example"]


def test_a_report_uri_is_added_when_configured(client, settings):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "report-uri": "https://csp.example.com/r"}
    }
    assert policy(client.get(reverse("articles:home")))["report-uri"] == ["https://csp.example.com/r"]
