"""Pages show renditions, never the original, and a broken picture never breaks a page."""

import logging
import re

import pytest
from django.core.files.storage import default_storage
from django.template import Context, Template
from PIL import Image as Pillow

from images import renditions
from images.models import Image
from images.renditions import picture_html, thumbnail_url
from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db

SIZES = "(min-width: 960px) 720px, 100vw"


def srcset_widths(html: str, tag: str) -> list[int]:
    srcset = re.search(rf'<{tag}[^>]* srcset="([^"]+)"', html).group(1)
    return [int(width) for width in re.findall(r" (\d+)w", srcset)]


def test_a_picture_offers_webp_and_jpeg_in_widths_up_to_its_own(media):
    image = ImageFactory(size=(1000, 750), alt="五邑大学新校区")

    html = picture_html(image, sizes=SIZES)

    assert html.startswith("<picture>") and html.endswith("</picture>")
    assert '<source type="image/webp"' in html
    assert srcset_widths(html, "source") == [320, 640, 960, 1000]
    assert srcset_widths(html, "img") == [320, 640, 960, 1000]
    assert re.search(r'<source [^>]*srcset="[^"]*/320\.webp 320w', html)
    assert re.search(r'<img [^>]*srcset="[^"]*/320\.jpg 320w', html)
    assert f'sizes="{SIZES}"' in html
    assert 'width="960" height="720"' in html
    assert 'alt="五邑大学新校区"' in html
    assert 'loading="lazy"' in html and 'decoding="async"' in html
    assert image.file.url not in html  # never the original upload


def test_the_renditions_are_real_resized_files(media):
    image = ImageFactory(size=(1000, 750))

    html = picture_html(image, sizes="100vw")

    url = re.search(r'srcset="(\S+) 320w', html).group(1)
    name = url.removeprefix("/media/")
    with Pillow.open(default_storage.open(name)) as small:
        assert small.format == "WEBP"
        assert small.size == (320, 240)


def test_a_small_picture_is_never_upscaled(media):
    image = ImageFactory(size=(200, 100))

    html = picture_html(image, sizes="100vw")

    assert srcset_widths(html, "img") == [200]
    assert 'width="200" height="100"' in html


def test_a_large_picture_stops_at_the_largest_width(media):
    image = ImageFactory(size=(2400, 1200))

    html = picture_html(image, sizes="100vw")

    assert srcset_widths(html, "source") == [320, 640, 960, 1280, 1600]


def test_above_the_fold_pictures_load_eagerly_with_class_and_alt_override(media):
    image = ImageFactory(alt="库里的替代文字")

    html = picture_html(image, sizes="100vw", lazy=False, alt="这里的说法", css_class="cover")

    assert 'loading="eager"' in html and 'fetchpriority="high"' in html
    assert 'alt="这里的说法"' in html
    assert 'class="cover"' in html


def test_alt_text_is_escaped(media):
    image = ImageFactory(alt='"><script>alert(1)</script>')

    html = picture_html(image, sizes="100vw")

    assert "<script>" not in html
    assert 'alt="&quot;&gt;&lt;script&gt;' in html


def test_transparent_formats_fall_back_to_png(media):
    image = ImageFactory()
    image.file.name = image.file.name.replace(".jpg", ".png")
    assert renditions.fallback_format(image) == "PNG"


def test_rendering_costs_no_query(media, django_assert_num_queries):
    images = [ImageFactory() for _ in range(3)]
    for image in images:
        picture_html(image, sizes="100vw")  # renditions made once
    images = list(Image.objects.all())

    with django_assert_num_queries(0):
        for image in images:
            picture_html(image, sizes="100vw")
            thumbnail_url(image)


def test_a_missing_file_gives_the_alt_text_and_a_warning(media, caplog):
    image = ImageFactory(alt="被删掉的图")
    default_storage.delete(image.file.name)

    with caplog.at_level(logging.WARNING, logger="images.renditions"):
        html = picture_html(image, sizes="100vw")

    assert html == '<span class="picture-missing">被删掉的图</span>'
    assert "Cannot make renditions" in caplog.text
    assert thumbnail_url(image) == ""


def test_a_broken_file_without_alt_renders_nothing(media):
    image = ImageFactory(alt="")
    with default_storage.open(image.file.name, "wb") as file:
        file.write(b"not a picture any more")

    assert picture_html(image, sizes="100vw") == ""


def test_no_picture_renders_nothing():
    assert picture_html(None, sizes="100vw") == ""
    assert thumbnail_url(None) == ""


def test_the_template_tags(media):
    image = ImageFactory(size=(640, 480))
    template = Template(
        '{% load images_tags %}{% picture image sizes="50vw" lazy=False css_class="lead" %}|{% thumbnail_url image %}'
    )

    picture, thumbnail = template.render(Context({"image": image})).split("|")

    assert picture == picture_html(image, sizes="50vw", lazy=False, css_class="lead")
    assert thumbnail.endswith("/320.jpg")


def test_no_receiver_runs_for_each_model_instance_built():
    """django-imagekit's router (it watches every model for ImageSpecFields,
    of which there are none here) is disconnected: a list page builds a
    hundred and fifty instances. Fails if a new imagekit connects it again
    another way, or a model gains an ImageSpecField (then it must stay)."""
    from django.db.models.signals import post_init, post_save

    from images.apps import IMAGEKIT_ROUTER_UID, stop_imagekit_watching_every_model

    assert post_init.receivers == []
    assert not any(key[0] == IMAGEKIT_ROUTER_UID for key, *_ in post_save.receivers)
    assert stop_imagekit_watching_every_model() is True  # nothing declares an ImageSpecField
