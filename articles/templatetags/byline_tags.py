"""``{% load byline_tags %}{% byline article.bylines.all %}``: an article's
authors as the paper prints them. In Python rather than a template: lists
print one for every article, and a template's loop and includes cost ten
times as much."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def byline(bylines) -> str:
    """文/赵可义　图/李华, 记者 李明 王芳　通讯员 赵六, 李明 摄: consecutive
    bylines of one role share it, groups are set apart by a full-width
    space, each name links to the contributor. ``bylines`` are Byline-like
    (role, is_slash_role, is_postfix_role, contributor); names are escaped
    unless already safe (search marks its matches)."""
    groups: list[list] = []
    for one in bylines:
        if groups and groups[-1][0].role == one.role:
            groups[-1].append(one)
        else:
            groups.append([one])
    if not groups:
        return ""
    return format_html('<span class="byline">{}</span>', format_html_join("　", "{}", ((_group(g),) for g in groups)))


def _group(members) -> str:
    first = members[0]
    names = format_html_join(
        " ", '<a href="{}">{}</a>', ((m.contributor.get_absolute_url(), m.contributor.name) for m in members)
    )
    if not first.role:
        return format_html('<span class="byline-group">{}</span>', names)
    role = format_html('<span class="byline-role">{}</span>', first.role)
    if first.is_postfix_role:
        return format_html('<span class="byline-group">{} {}</span>', names, role)
    return format_html('<span class="byline-group">{}{}{}</span>', role, "/" if first.is_slash_role else " ", names)
