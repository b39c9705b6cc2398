"""``{% load link_tags %}{% page_url "articles:home" %}``: ``{% url %}`` for a
page without arguments, reversed once per process (articles/links.py). Every
page's frame links the home, search and feed pages."""

from django import template

from articles.links import fixed_url

register = template.Library()


@register.simple_tag
def page_url(viewname: str) -> str:
    return fixed_url(viewname)
