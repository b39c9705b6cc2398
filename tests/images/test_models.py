"""The library's model: credits as printed, and finding pictures from a body's <img src>."""

import pytest

from images.models import Image
from tests.factories import ContributorFactory, ImageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "name", "line"),
    [
        (Image.CreditRole.PHOTO, "李明", "李明 摄"),
        (Image.CreditRole.PICTURE, "新华社", "图：新华社"),
        (Image.CreditRole.SOURCE, "江门市文旅局", "来源：江门市文旅局"),
    ],
)
def test_credit_line(media, role, name, line):
    image = ImageFactory(credit=ContributorFactory(name=name), credit_role=role)

    assert image.credit_line == line


def test_no_credit_no_line(media):
    assert ImageFactory(credit=None).credit_line == ""


def test_str_is_what_an_autocomplete_shows(media):
    assert str(ImageFactory(caption="侨乡江门的夜色", alt="夜景")) == "侨乡江门的夜色"
    assert str(ImageFactory(caption="", alt="夜景")) == "夜景"
    assert str(ImageFactory(caption="", alt="", original_name="DSC_0042.JPG")) == "DSC_0042.JPG"


def test_by_sources_finds_library_pictures_in_one_query(media, django_assert_num_queries):
    first, second, _ = ImageFactory(credit=ContributorFactory(name="李明")), ImageFactory(), ImageFactory()
    sources = [
        first.file.url,  # what the editor stores
        f"http://testserver{second.file.url}",  # pasted from the site itself
        "/media/images/2026/01/0123456789abcdef0123456789abcdef.jpg",  # not in the library
        f"https://elsewhere.example{first.file.url}",  # another site's file of the same name
        f"javascript:{first.file.url}",
        "data:image/png;base64,iVBORw0KGgo=",
        "media/" + first.file.name,  # relative to the page: ambiguous
        "/media/",
    ]

    with django_assert_num_queries(1):
        found = Image.objects.by_sources(sources)
        assert found[first.file.url].credit_line == "李明 摄"  # the credit comes with it

    assert found == {first.file.url: first, f"http://testserver{second.file.url}": second}


def test_by_sources_without_candidates_costs_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert Image.objects.by_sources(["https://elsewhere.example/a.jpg", ""]) == {}


def test_by_sources_with_media_on_another_host(media, settings):
    image = ImageFactory()
    settings.MEDIA_URL = "https://img.jmrb.example/media/"

    found = Image.objects.by_sources([f"https://img.jmrb.example/media/{image.file.name}", f"/media/{image.file.name}"])

    assert found == {f"https://img.jmrb.example/media/{image.file.name}": image}


def test_search_covers_caption_alt_credit_and_file_name(media):
    by_caption = ImageFactory(caption="台山海宴镇的渔船")
    by_alt = ImageFactory(caption="", alt="开平碉楼")
    by_credit = ImageFactory(caption="", credit=ContributorFactory(name="江门市文旅局"))
    by_name = ImageFactory(caption="", original_name="heshan-2024.jpg")

    assert list(Image.objects.search("渔船")) == [by_caption]
    assert list(Image.objects.search("碉楼")) == [by_alt]
    assert list(Image.objects.search("文旅局")) == [by_credit]
    assert list(Image.objects.search("HESHAN")) == [by_name]
    assert Image.objects.search("  ").count() == 4


def test_stored_names_never_come_from_the_uploader(media):
    from images.models import image_path

    assert image_path(None, "upload.png").endswith(".png")
    with pytest.raises(ValueError):
        image_path(None, "../../evil.html")
