"""``{% load share_tags %}``: what a page tells crawlers and chat apps (articles/share.py).

    {% share_meta %}          in <head>: canonical, robots, description, Open Graph,
                              Twitter card, feed links and JSON-LD for this page
    {% publisher_name %}      NEWSROOM_PUBLISHER_NAME (the Google News sitemap)

No query: everything comes from what the view put in the context.
"""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import share

register = template.Library()

# As django's json_script: "<", ">" and "&" escaped inside the JSON strings, so
# no text an editor typed ("</script>", "<!--") can end the element early.
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.inclusion_tag("includes/share_meta.html", takes_context=True)
def share_meta(context):
    return {"meta": share.share_meta(context)}


@register.filter(is_safe=True)
def json_ld(data) -> str:
    """``data`` as a ``<script type="application/ld+json">`` data block. Not
    run by the browser, so the strict CSP (script-src 'self') allows it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 - escaped above


@register.simple_tag
def publisher_name() -> str:
    return settings.NEWSROOM_PUBLISHER_NAME
