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
_SCRIPT_SAFE = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


@register.simple_tag(takes_context=True)
def share_meta(context) -> str:
    """The page's robots, canonical, description, Open Graph and Twitter
    tags, feed links and JSON-LD, one to a line. Written here rather than in
    a template: every page has twenty or more of them, and a template's loops
    cost several times as much (docs/benchmarks.md, "Pages")."""
    meta = share.share_meta(context)
    lines = []
    if meta.robots:
        lines.append(format_html('<meta name="robots" content="{}">', meta.robots))
    if meta.canonical:
        lines.append(format_html('<link rel="canonical" href="{}">', meta.canonical))
    if meta.description:
        lines.append(format_html('<meta name="description" content="{}">', meta.description))
    lines += [format_html('<meta property="{}" content="{}">', name, content) for name, content in meta.open_graph]
    lines += [format_html('<meta name="{}" content="{}">', name, content) for name, content in meta.twitter]
    lines += [
        format_html('<link rel="alternate" type="{}" title="{}" href="{}">', feed["type"], feed["title"], feed["href"])
        for feed in meta.feeds
    ]
    lines += [json_ld(data) for data in meta.json_ld]
    return mark_safe("\n  ".join(lines))  # noqa: S308 - each line built by format_html


@register.filter(is_safe=True)
def json_ld(data) -> str:
    """``data`` as a ``<script type="application/ld+json">`` data block. Not
    run by the browser, so the strict CSP (script-src 'self') allows it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in _SCRIPT_SAFE:  # a translate() with a mapping costs thirty times as much
        text = text.replace(character, escaped)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 - escaped above


@register.simple_tag
def publisher_name() -> str:
    return settings.NEWSROOM_PUBLISHER_NAME
