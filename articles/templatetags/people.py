"""``{{ user|user_name }}``: a colleague's 姓名 in templates (articles/people.py)."""

from django import template

from articles.people import user_name as _user_name

register = template.Library()


@register.filter
def user_name(user) -> str:
    return _user_name(user) if user else ""
