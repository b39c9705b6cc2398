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
from django.utils.safestring import mark_safe

from articles import share
from articles.markup import escaped

register = template.Library()

# As django's json_script: "<", ">" and "&" escaped inside the JSON strings, so
# no text an editor typed ("</script>", "<!--") can end the element early.
_SCRIPT_SAFE = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


@register.simple_tag(takes_context=True)
def share_meta(context) -> str:
    """The page's robots, canonical, description, Open Graph and Twitter
    tags, feed links and JSON-LD, one to a line. Written here rather than in
    a template: every page has twenty or more of them, and a template's loops
    cost several times as much (docs/benchmarks.md, "Pages"); with
    ``html.escape`` rather than ``format_html``, as the byline tag."""
    meta = share.share_meta(context)
    lines = []
    if meta.robots:
        lines.append(f'<meta name="robots" content="{escaped(meta.robots)}">')
    if meta.canonical:
        lines.append(f'<link rel="canonical" href="{escaped(meta.canonical)}">')
    if meta.description:
        lines.append(f'<meta name="description" content="{escaped(meta.description)}">')
    lines += [f'<meta property="{escaped(name)}" content="{escaped(content)}">' for name, content in meta.open_graph]
    lines += [f'<meta name="{escaped(name)}" content="{escaped(content)}">' for name, content in meta.twitter]
    lines += [
        f'<link rel="alternate" type="{escaped(f["type"])}" title="{escaped(f["title"])}" href="{escaped(f["href"])}">'
        for f in meta.feeds
    ]
    lines += [json_ld(data) for data in meta.json_ld]
    return mark_safe("\n  ".join(lines))  # noqa: S308 - every value escaped, json_ld escapes its own


@register.filter(is_safe=True)
def json_ld(data) -> str:
    """``data`` as a ``<script type="application/ld+json">`` data block. Not
    run by the browser, so the strict CSP (script-src 'self') allows it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    for character, replacement in _SCRIPT_SAFE:  # a translate() with a mapping costs thirty times as much
        text = text.replace(character, replacement)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


@register.simple_tag
def publisher_name() -> str:
    return settings.NEWSROOM_PUBLISHER_NAME
