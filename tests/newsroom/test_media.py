"""Uploaded media served by Django: pictures inline, anything else inert."""

import io

import pytest
from django.urls import resolve
from PIL import Image

from newsroom.media import media_urlpatterns

pytestmark = pytest.mark.django_db  # the test client closes the connection after each request


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(buffer, "JPEG")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "photo.jpg").write_bytes(buffer.getvalue())
    (tmp_path / "images" / "photo.webp").write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 ")
    hostile = b"<html><script>document.title=document.cookie</script></html>"
    for name in ("page.html", "drawing.svg", "note.txt", "noextension", "page.html.gz"):
        (tmp_path / "images" / name).write_bytes(hostile)
    return tmp_path


def get(client, path):
    response = client.get(path)
    if hasattr(response, "streaming_content"):
        response.content_bytes = b"".join(response.streaming_content)
    response.close()
    return response


def test_this_process_serves_media_in_development(settings):
    assert settings.NEWSROOM_SERVE_MEDIA  # DJANGO_DEBUG=1, as in the tests
    assert resolve("/media/images/photo.jpg").url_name == "media"


@pytest.mark.parametrize(("name", "content_type"), [("photo.jpg", "image/jpeg"), ("photo.webp", "image/webp")])
def test_a_picture_is_sent_inline_as_a_picture_and_cannot_run_script(client, media, name, content_type):
    response = get(client, f"/media/images/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"] == "inline"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.content_bytes == (media / "images" / name).read_bytes()


@pytest.mark.parametrize("name", ["page.html", "drawing.svg", "note.txt", "noextension", "page.html.gz"])
def test_anything_else_is_a_download_never_a_page(client, media, name):
    response = get(client, f"/media/images/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"] == "attachment"
    assert "Content-Encoding" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_folders_and_missing_files_are_404_and_nothing_outside_is_reachable(client, media):
    for path in ("/media/images/", "/media/images/missing.jpg"):
        assert client.get(path).status_code == 404, path
    (media.parent / "outside.jpg").write_bytes(b"secret")
    for path in ("/media/../outside.jpg", "/media/images/../../outside.jpg", "/media/%2e%2e/outside.jpg"):
        assert client.get(path).status_code in (400, 404), path  # 400: Django's SuspiciousFileOperation


def test_not_modified_keeps_the_policy(client, media):
    first = get(client, "/media/images/photo.jpg")
    again = client.get("/media/images/photo.jpg", HTTP_IF_MODIFIED_SINCE=first.headers["Last-Modified"])
    assert again.status_code == 304
    assert again.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_no_media_route_in_production_or_when_media_live_elsewhere(settings):
    settings.NEWSROOM_SERVE_MEDIA = False
    assert media_urlpatterns() == []
    settings.NEWSROOM_SERVE_MEDIA = True
    settings.MEDIA_URL = "https://img.example.com/media/"
    assert media_urlpatterns() == []
    settings.MEDIA_URL = "/files/"
    (pattern,) = media_urlpatterns()
    assert pattern.resolve("files/a/b.jpg").kwargs == {"path": "a/b.jpg"}
