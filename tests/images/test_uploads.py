"""The editor's upload endpoint: what it refuses, and what it keeps of a good picture."""

import re
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ExifTags
from PIL import Image as Pillow

from images import services
from images.models import Image
from tests import pictures
from tests.helpers.media import stored_files

pytestmark = pytest.mark.django_db

ONLY_PICTURES = "无法识别为图片"
MARKUP = "夹带了网页或脚本代码"


def refusal(response, status=400) -> str:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["uploaded"] == 0
    return body["error"]["message"]


def polyglot_png() -> bytes:
    """A valid PNG that is also an HTML page (a browser sniffing it would run the script)."""
    return pictures.picture(format="PNG") + b"<html><script>alert(document.cookie)</script></html>"


def truncated_jpeg() -> bytes:
    whole = pictures.jpeg(200, 150, quality=95)
    return whole[: len(whole) // 2]


@pytest.mark.parametrize(
    ("content", "name", "content_type", "message"),
    [
        (b"Just some notes, not a picture.\n" * 20, "photo.jpg", "image/jpeg", ONLY_PICTURES),
        (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
            "logo.svg",
            "image/svg+xml",
            f"{MARKUP}（<svg>）",
        ),
        (b"<!DOCTYPE html><HTML><body><script>alert(1)</script>", "photo.jpg", "image/jpeg", f"{MARKUP}（<html>）"),
        (polyglot_png(), "chart.png", "image/png", f"{MARKUP}（<html>）"),
        (truncated_jpeg(), "photo.jpg", "image/jpeg", "图片文件不完整或已损坏"),
        (pictures.picture(format="BMP"), "scan.jpg", "image/jpeg", ONLY_PICTURES),
    ],
    ids=["text-named-jpg", "svg", "html-named-jpg", "png-html-polyglot", "truncated", "bmp"],
)
def test_what_is_not_a_safe_picture_is_refused_with_a_reason(
    staff, client_for, upload, media, content, name, content_type, message
):
    response = upload(client_for(staff.reporter), content, name, content_type)

    assert message in refusal(response)
    assert not Image.objects.exists()
    assert stored_files(media) == []


def test_a_file_over_the_size_cap_is_refused(staff, client_for, upload, media, settings):
    settings.NEWSROOM_UPLOAD_MAX_MB = 0.002  # about 2 KB
    content = pictures.jpeg(300, 200, quality=95)
    assert len(content) > 2100

    message = refusal(upload(client_for(staff.reporter), content))

    assert "文件太大" in message and "上限是 0.002 MB" in message
    assert not Image.objects.exists()


def test_a_picture_with_too_many_pixels_is_refused_before_it_is_decoded(staff, client_for, upload, settings):
    settings.NEWSROOM_UPLOAD_MAX_MEGAPIXELS = 0.01  # 10,000 pixels

    message = refusal(upload(client_for(staff.reporter), pictures.jpeg(200, 100)))

    assert message == "图片像素太多（200×100），上限是 0.01 百万像素。请缩小后再上传。"
    assert not Image.objects.exists()


def test_an_empty_file_is_refused(staff, client_for, upload):
    assert "文件是空的" in refusal(upload(client_for(staff.reporter), b""))


def test_a_request_without_a_file_is_refused(staff, client_for):
    response = client_for(staff.reporter).post(reverse("ckeditor_upload"), {})

    assert refusal(response) == "没有收到文件：请选择一张图片。"


def test_anonymous_uploads_get_403_json_not_a_login_redirect(client, upload, media):
    message = refusal(upload(client, pictures.jpeg()), status=403)

    assert "请重新登录" in message
    assert not Image.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize("role", ["部门主任", "总编辑"])
def test_staff_who_may_not_edit_articles_cannot_upload(staff, client_for, upload, role):
    message = refusal(upload(client_for(staff.roles()[role]), pictures.jpeg()), status=403)

    assert message == "只有可以编辑文章的采编人员才能上传图片。"
    assert not Image.objects.exists()


def test_a_user_without_a_role_cannot_upload(client_for, upload):
    from tests.factories import UserFactory

    refusal(upload(client_for(UserFactory(username="intern")), pictures.jpeg()), status=403)
    assert not Image.objects.exists()


def test_an_upload_without_the_csrf_token_is_refused_in_json(staff, upload, media):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff.reporter)

    message = refusal(upload(client, pictures.jpeg()), status=403)

    assert re.search(r"[\u4e00-\u9fff]", message)  # a Chinese sentence the editor shows
    assert not Image.objects.exists()
    assert stored_files(media) == []


def test_the_csrf_token_in_the_x_csrftoken_header_is_accepted(staff, upload):
    """What images/static/images/editor-uploads.js sends."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff.reporter)
    client.get(reverse("admin:index"))  # any admin page sets the csrftoken cookie
    token = client.cookies["csrftoken"].value

    response = upload(client, pictures.jpeg(), HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 200
    assert response.json()["uploaded"] == 1


def test_get_is_not_an_upload(staff, client_for):
    response = client_for(staff.reporter).get(reverse("ckeditor_upload"))

    assert response.status_code == 405
    assert response.json()["uploaded"] == 0


def test_a_phone_photo_is_stored_upright_without_exif_under_a_generated_name(staff, client_for, upload):
    # 64×48 as stored by the camera, to be turned 90° clockwise (orientation 6), with GPS.
    original = pictures.jpeg(64, 48, exif=pictures.gps_exif(orientation=6))
    assert b"NewsroomCam" in original

    response = upload(client_for(staff.reporter), original, name="李明 现场 IMG_0001.JPG")

    assert response.status_code == 200
    body = response.json()
    image = Image.objects.get()
    assert body == {
        "uploaded": 1,
        "fileName": image.file.name.rsplit("/", 1)[-1],
        "url": image.file.url,
        "width": 48,  # upright: the phone's orientation applied (it was 64×48 as stored by the camera)
        "height": 64,
    }
    assert re.fullmatch(r"/media/images/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", body["url"])
    assert "IMG_0001" not in body["url"]
    assert image.original_name == "李明 现场 IMG_0001.JPG"
    assert (image.width, image.height) == (48, 64)
    assert image.uploaded_by == staff.reporter

    stored = default_storage.open(image.file.name).read()
    assert image.file_size == len(stored)
    assert b"NewsroomCam" not in stored and b"Exif" not in stored
    with Pillow.open(BytesIO(stored)) as photo:
        assert photo.format == "JPEG"
        assert photo.size == (48, 64)
        assert not photo.getexif()
        assert not photo.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        # The blue top-left quarter of the sensor is at the top right once upright.
        red, _, blue = photo.convert("RGB").getpixel((47, 0))
        assert blue > 150 and red < 100
        red, _, blue = photo.convert("RGB").getpixel((0, 0))
        assert red > 150 and blue < 100


@pytest.mark.parametrize(
    ("format", "extension"),
    [("PNG", "png"), ("WEBP", "webp"), ("GIF", "gif")],
)
def test_png_webp_and_gif_keep_their_format(staff, client_for, upload, format, extension):
    response = upload(client_for(staff.reporter), pictures.picture(format=format), name=f"chart.{extension}")

    assert response.json()["url"].endswith(f".{extension}")
    with Pillow.open(Image.objects.get().file) as stored:
        assert stored.format == format


def test_the_extension_follows_the_content_not_the_name(staff, client_for, upload):
    response = upload(client_for(staff.reporter), pictures.picture(format="PNG"), name="photo.jpg")

    assert response.json()["url"].endswith(".png")


def test_an_animated_gif_keeps_its_frames_but_not_its_comment(staff, client_for, upload):
    original = pictures.animated_gif(frames=3)
    assert b"secret" in original

    upload(client_for(staff.reporter), original, name="anim.gif", content_type="image/gif")

    stored = Image.objects.get().file.read()
    assert b"secret" not in stored
    with Pillow.open(BytesIO(stored)) as gif:
        assert gif.n_frames == 3


def test_the_service_checks_the_permission_itself(staff, media):
    file = SimpleUploadedFile("a.jpg", pictures.jpeg())

    with pytest.raises(PermissionDenied):
        services.image_upload(file=file, by=staff.desk_head)
    image = services.image_upload(file=file, by=staff.editor, alt="替代", caption="说明")

    assert (image.alt, image.caption, image.uploaded_by) == ("替代", "说明", staff.editor)


def test_renditions_are_made_when_the_upload_commits(
    staff, client_for, upload, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(staff.reporter), pictures.jpeg(700, 400))

    renditions = {path.name for path in stored_files(media) if "renditions" in path.parts}
    assert renditions == {"320.webp", "640.webp", "700.webp", "320.jpg", "640.jpg", "700.jpg"}
