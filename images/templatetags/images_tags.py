"""``{% load images_tags %}``: pictures from their renditions (images/renditions.py).

    {% picture article.cover sizes="(min-width: 960px) 720px, 100vw" lazy=False css_class="cover" %}
    <img src="{% thumbnail_url image %}" alt="">

Neither costs a query (select the picture's credit with the page's queryset
if the template prints ``image.credit_line``).
"""

from django import template

from images import renditions

register = template.Library()


@register.simple_tag
def picture(image, sizes="100vw", lazy=True, alt=None, css_class=""):
    return renditions.picture_html(image, sizes=sizes, lazy=lazy, alt=alt, css_class=css_class)


@register.simple_tag
def thumbnail_url(image):
    return renditions.thumbnail_url(image)


@register.simple_tag(takes_context=True)
def share_image_url(context, image):
    """The absolute URL of ``image``'s share-card rendition ("" without one)."""
    url = renditions.share_url(image)
    return context["request"].build_absolute_uri(url) if url else ""
