"""``{% load teaser_tags %}{% teasers articles show_series=True %}``: a list
of article teasers (picture, 引题, title, abstract, then series, byline and
date), as the home, series and archive pages print twenty or thirty of them.

In Python rather than an included template for the reason the byline is
(byline_tags.py): a template's variable lookups, ``with`` and ``if`` tags
cost about 0.1 ms a teaser, the whole list more than the page's queries.
The markup is that of the template it replaced; tests read it back."""

from collections.abc import Callable
from typing import NamedTuple

from django import template
from django.utils.safestring import SafeString, mark_safe

from articles.links import slug_urls
from articles.markup import escaped
from images.renditions import picture_html

from .byline_tags import byline_html
from .time_tags import time_tag

register = template.Library()

# How wide a teaser's picture is shown (its <picture>'s sizes attribute).
TEASER_PICTURE_SIZES = "(max-width: 600px) 30vw, 180px"


@register.simple_tag
def teasers(articles, show_series: bool = False) -> SafeString:
    """``articles`` (from ``ArticleQuerySet.for_teasers()``, their bylines
    attached) as ``<ul class="article-list">``; "还没有文章。" when there are
    none. ``show_series`` names each one's series."""
    if not articles:
        return mark_safe('<ul class="article-list">\n<li class="empty">还没有文章。</li>\n</ul>')
    links = _Links(
        article=slug_urls("articles:article-detail"),
        series=slug_urls("articles:series-detail") if show_series else None,
        contributor=slug_urls("articles:contributor-detail"),
    )
    items = "".join(_teaser(article, links) for article in articles)
    return mark_safe(f'<ul class="article-list">\n{items}</ul>')  # noqa: S308 - escaped


class _Links(NamedTuple):
    """How a list links to each kind of page (``slug_urls()``), looked up once."""

    article: Callable[[str], str]
    series: Callable[[str], str] | None  # None: the series is not shown
    contributor: Callable[[str], str]


def _teaser(article, links: _Links) -> str:
    url = escaped(links.article(article.slug))
    cover = article.cover
    parts = [f'<li class="article-item{" has-picture" if cover else ""}">\n']
    if cover:
        picture = picture_html(cover, sizes=TEASER_PICTURE_SIZES, lazy=True)
        parts.append(f'<a class="article-item-picture" href="{url}" tabindex="-1" aria-hidden="true">{picture}</a>\n')
    if article.kicker:
        parts.append(f'<p class="article-item-kicker">{escaped(article.kicker)}</p>\n')
    parts.append(f'<a class="article-item-title" href="{url}">{escaped(article.title)}</a>\n')
    abstract = article.abstract
    if abstract:
        parts.append(f'<p class="article-item-summary">{escaped(abstract)}</p>\n')
    parts.append('<p class="article-item-meta">\n')
    if links.series and article.series_id:
        series = article.series
        parts.append(f'<a class="series-link" href="{escaped(links.series(series.slug))}">{escaped(series.name)}</a>\n')
    byline = byline_html(article.bylines.all(), links.contributor)
    parts.append(f"{byline}\n{time_tag(article.publish_at, 'Y年n月j日')}\n</p>\n</li>\n")
    return "".join(parts)
