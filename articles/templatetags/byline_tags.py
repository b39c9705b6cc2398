"""``{% load byline_tags %}{% byline article.bylines.all %}``: an article's
authors as the paper prints them; ``{% credits credits %}``: the production
credits under an article or a series. In Python rather than a template, and
with ``html.escape`` rather than ``format_html``: lists print one for every
article (a series page thirty), and a template's loop and includes cost ten
times as much, ``format_html`` three times (30 bylines: 3.0 ms, 1.2 ms here)."""

from html import escape
from itertools import groupby
from operator import attrgetter

from django import template
from django.utils.safestring import SafeString, mark_safe

from articles.links import slug_urls
from articles.markup import escaped

register = template.Library()


@register.simple_tag
def byline(bylines) -> SafeString | str:
    """文/赵可义　图/李华, 记者 李明 王芳　通讯员 赵六, 李明 摄: consecutive
    bylines of one role share it, groups are set apart by a full-width
    space, each name links to the contributor. ``bylines`` are Byline-like
    (role, is_slash_role, is_postfix_role, contributor); names are escaped
    unless already safe (search marks its matches)."""
    return byline_html(bylines, slug_urls("articles:contributor-detail"))


def byline_html(bylines, link) -> SafeString | str:
    """``{% byline %}`` with the contributors' ``link`` (``slug_urls()``)
    given: a list of teasers looks it up once for all its bylines."""
    groups = _by_role(bylines)
    if not groups:
        return ""
    return mark_safe(f'<span class="byline">{"　".join(_group(g, link) for g in groups)}</span>')  # noqa: S308 - escaped


@register.simple_tag
def credits(credits) -> SafeString | str:
    """总策划：傅健 曹乃付　出品人：张永源　出品：江门日报社: ``credits``
    (Credit-like: role, contributor) with each role's credits together (as
    articles.models.credits.in_print_order() gives them); consecutive
    credits of one role share a label, each name links to the contributor;
    names are escaped unless already safe (search marks its matches)."""
    roles = _by_role(credits)
    if not roles:
        return ""
    link = slug_urls("articles:contributor-detail")
    lines = (
        f'<span class="credit"><span class="credit-role">{escaped(role[0].role)}</span>：{_names(role, link)}</span>'
        for role in roles
    )
    return mark_safe(f'<p class="credits">{"　".join(lines)}</p>')  # noqa: S308 - escaped


def _by_role(people) -> list[list]:
    """Bylines or credits in runs of one role each, in their order."""
    return [list(run) for _, run in groupby(people, key=attrgetter("role"))]


def _names(people, link) -> str:
    """Each contributor's name, linked to their page, a space apart."""
    return " ".join(f'<a href="{escape(link(p.contributor.slug))}">{escaped(p.contributor.name)}</a>' for p in people)


def _group(members, link) -> str:
    first = members[0]
    names = _names(members, link)
    if not first.role:
        return f'<span class="byline-group">{names}</span>'
    role = f'<span class="byline-role">{escaped(first.role)}</span>'
    if first.is_postfix_role:
        return f'<span class="byline-group">{names} {role}</span>'
    return f'<span class="byline-group">{role}{"/" if first.is_slash_role else " "}{names}</span>'
