"""The picture library in the admin: list, search, and adding through the upload rules."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as Pillow

from images.models import Image
from tests import pictures
from tests.factories import ContributorFactory, ImageFactory
from tests.helpers.media import stored_files

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:images_image_changelist")
ADD = reverse("admin:images_image_add")


def test_the_list_shows_thumbnails_credits_and_sizes(staff, client_for, media):
    ImageFactory(size=(640, 480), caption="恩平温泉", credit=ContributorFactory(name="李明"))

    html = client_for(staff.editor).get(CHANGELIST).content.decode()

    assert "恩平温泉" in html and "李明 摄" in html and "640 × 480" in html
    assert re.search(r'<img src="[^"]*/renditions/[^"]*/320\.jpg"', html)


def test_the_list_costs_the_same_queries_however_many_pictures(staff, client_for, media, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(staff.editor)
    ImageFactory(credit=ContributorFactory(), uploaded_by=staff.reporter)
    client.get(CHANGELIST)
    with CaptureQueriesContext(connection) as one:
        client.get(CHANGELIST)
    for _ in range(5):
        ImageFactory(credit=ContributorFactory(), uploaded_by=staff.editor)
    with CaptureQueriesContext(connection) as six:
        response = client.get(CHANGELIST)

    assert response.content.decode().count("images-thumbnail") == 6
    assert len(six) == len(one)


def test_search_finds_by_credit_name(staff, client_for, media):
    ImageFactory(caption="蓬江夜色", credit=ContributorFactory(name="江门市文旅局"))
    ImageFactory(caption="新会陈皮")

    html = client_for(staff.editor).get(CHANGELIST, {"q": "文旅局"}).content.decode()

    assert "蓬江夜色" in html and "新会陈皮" not in html


def test_adding_goes_through_the_upload_rules(staff, client_for, media):
    credit = ContributorFactory(name="李明")
    photo = pictures.jpeg(64, 48, exif=pictures.gps_exif(orientation=6))

    response = client_for(staff.reporter).post(
        ADD,
        {
            "upload": SimpleUploadedFile("IMG_0042.jpg", photo),
            "alt": "江门大桥",
            "caption": "江门大桥的清晨",
            "credit": credit.pk,
            "credit_role": "photo",
        },
    )

    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.caption, image.credit_line, image.uploaded_by) == ("江门大桥的清晨", "李明 摄", staff.reporter)
    assert (image.width, image.height, image.original_name) == (48, 64, "IMG_0042.jpg")
    with Pillow.open(image.file) as stored:
        assert not stored.getexif()


def test_a_refused_file_is_a_form_error_and_nothing_is_saved(staff, client_for, media):
    response = client_for(staff.reporter).post(
        ADD,
        {
            "upload": SimpleUploadedFile("logo.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"),
            "caption": "标志",
            "credit_role": "photo",
        },
    )

    assert response.status_code == 200
    assert "文件里夹带了网页或脚本代码（&lt;svg&gt;）" in response.content.decode()
    assert not Image.objects.exists()
    assert stored_files(media) == []


def test_adding_from_a_popup_answers_the_opener(staff, client_for, media):
    """The "+" next to an autocomplete (an article's cover) opens this form with _popup=1."""
    response = client_for(staff.reporter).post(
        f"{ADD}?_to_field=id&_popup=1",
        {
            "upload": SimpleUploadedFile("a.png", pictures.picture(format="PNG")),
            "caption": "头图",
            "credit_role": "photo",
            "_popup": "1",
        },
    )

    assert response.status_code == 200
    assert "admin/popup_response.html" in [template.name for template in response.templates]
    image = Image.objects.get()
    assert f"&quot;value&quot;: &quot;{image.pk}&quot;" in response.content.decode()


def test_the_search_an_autocomplete_uses_finds_pictures(staff, rf, media):
    """What an ``autocomplete_fields = ["cover"]`` widget elsewhere asks this admin."""
    from django.contrib import admin

    image = ImageFactory(caption="台山黄鱼", credit=ContributorFactory(name="黄海"))
    ImageFactory(caption="新会陈皮")
    request = rf.get("/")
    request.user = staff.editor

    for term in ("黄鱼", "黄海"):
        found, _ = admin.site.get_model_admin(Image).get_search_results(request, Image.objects.all(), term)
        assert list(found) == [image]


@pytest.mark.parametrize(("role", "add_status"), [("记者", 200), ("编辑", 200), ("部门主任", 403), ("总编辑", 403)])
def test_who_may_add_and_see_pictures(staff, client_for, role, add_status):
    client = client_for(staff.roles()[role])

    assert client.get(CHANGELIST).status_code == 200
    assert client.get(ADD).status_code == add_status


def test_the_change_form_edits_the_text_not_the_file(staff, client_for, media):
    image = ImageFactory(caption="旧说明")
    url = reverse("admin:images_image_change", args=[image.pk])
    client = client_for(staff.editor)

    assert 'name="upload"' not in client.get(url).content.decode()
    response = client.post(url, {"alt": "新替代", "caption": "新说明", "credit_role": "source"})

    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.caption, image.alt, image.credit_role) == ("新说明", "新替代", "source")
