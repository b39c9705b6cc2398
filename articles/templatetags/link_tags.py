"""``{% load link_tags %}``: what every page's frame links, looked up once
per process (articles/links.py) rather than on every page.

    {% page_url "articles:home" %}          {% url %} for a page without arguments
    {% static_url "articles/site.css" %}    {% static %}
"""

from django import template

from articles import links

register = template.Library()


@register.simple_tag
def page_url(viewname: str) -> str:
    return links.fixed_url(viewname)


@register.simple_tag
def static_url(path: str) -> str:
    return links.static_url(path)
