from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView

from newsroom.prepared import PreparedRead, attach

from ..models import Article, Byline, Correction
from ..models.articles import EDITORS_ORDER, LIST_RELATIONS, public_article
from ..previews import article_for_preview
from ..review_rules import can_preview
from ..richtext import render_body
from .furniture import article_people

# Articles suggested under an article.
RELATED_SIZE = 6


class ArticleDetailView(DetailView):
    """The article page. Staff who may see articles in the admin read any
    article here, marked 预览; everyone else only what ``published()`` allows."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        self.now = timezone.now()
        slug = self.kwargs["slug"]
        if can_preview(self.request.user):
            found = _article_by_slug(slug=slug)
        else:
            found = _public_article_by_slug(now=self.now, slug=slug)
        if not found:
            raise Http404("没有这篇文章")
        return _with_corrections(found[0])

    def get_context_data(self, **kwargs):
        article = self.object
        return super().get_context_data(
            is_preview=not article.is_live,
            body_html=render_body(article.body),
            credits=article_people(article),  # and its bylines
            around=around(article, now=self.now),
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context["is_preview"]:
            _keep_private(response)
        return response


class ArticlePreviewView(ArticleDetailView):
    """An article opened through a signed preview link (no account needed)."""

    def get_object(self, queryset=None):
        self.now = timezone.now()
        found = article_for_preview(self.kwargs["token"], self.get_queryset())
        if found is None:
            raise Http404("预览链接无效或已过期")
        article, self.link_expires_at = found
        return article

    def get_queryset(self):
        return _for_article_page(Article.objects.all())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(is_preview=True, preview_link_expires_at=self.link_expires_at)
        return context


@dataclass
class SeriesPlace:
    """第 N 篇 / 共 M 篇 of an article in its series, and its neighbours."""

    number: int
    total: int
    previous: Article | None
    next: Article | None


@dataclass
class AroundArticle:
    """What the page shows around an article: its place in its series (None
    outside a series, or for a draft) and the articles to read next."""

    place: SeriesPlace | None
    related: list[Article]


def around(article: Article, *, now: datetime | None = None) -> AroundArticle:
    """The article's place in its series and its related articles, in two
    queries: the ids of its series' public articles in the editors' order
    (series_position, publish_at, id), read from the series' index; then the
    neighbours and the nearest in the series, by id, together with the newest
    other public articles of its authors, found from their bylines (``UNION
    ALL``: as ``pk IN (…) OR pk IN (subquery)``, PostgreSQL would read every
    article, an OR with a subquery has no index path there).

    Related (published only, RELATED_SIZE at most): the series' articles
    nearest to this one in the editors' order, after the previous and next
    already linked, then the newest sharing an author."""
    now = now or timezone.now()
    in_order = _series_order(now=now, series=article.series_id) if article.series_id else []
    here = in_order.index(article.pk) if article.pk in in_order else None
    if here is None:  # a draft, or outside any series: the series' last ones
        previous_id = next_id = None
        nearest = in_order[-RELATED_SIZE:][::-1]
    else:
        previous_id = in_order[here - 1] if here > 0 else None
        next_id = in_order[here + 1] if here + 1 < len(in_order) else None
        reach = range(max(0, here - RELATED_SIZE - 1), min(len(in_order), here + RELATED_SIZE + 2))
        nearest = [in_order[i] for i in sorted((i for i in reach if abs(i - here) > 1), key=lambda i: abs(i - here))]
    nearest = nearest[:RELATED_SIZE]
    wanted = sorted({pk for pk in (*nearest, previous_id, next_id) if pk is not None})
    # Every id comes from published(), in the statement before or in the subquery.
    found = {a.pk: a for a in _links_around(now=now, articles=wanted, article=article.pk)}
    skip = {*nearest, previous_id, next_id}
    shared = sorted((a for a in found.values() if a.pk not in skip), key=lambda a: (a.publish_at, a.pk), reverse=True)
    related = [found[pk] for pk in nearest if pk in found] + shared
    place = None
    if here is not None:
        place = SeriesPlace(here + 1, total=len(in_order), previous=found.get(previous_id), next=found.get(next_id))
    return AroundArticle(place=place, related=related[:RELATED_SIZE])


# What the article page reads, each statement compiled once (newsroom/prepared.py).
_public_article_by_slug = PreparedRead(
    lambda now, slug: _for_the_page(Article.objects.published(now=now).filter(slug=slug)), now=datetime, slug=str
)
_article_by_slug = PreparedRead(  # for staff, who may preview any article
    lambda slug: _for_the_page(Article.objects.filter(slug=slug)), slug=str
)
_corrections_of = PreparedRead(lambda articles: Correction.objects.filter(article__in=articles), articles=list[int])
_series_order = PreparedRead(  # the ids of a series' public articles, in the editors' order
    lambda now, series: (
        Article.objects.published(now=now).filter(series=series).order_by(*EDITORS_ORDER).values_list("pk", flat=True)
    ),
    now=datetime,
    series=int,
)
_links_around = PreparedRead(  # these articles, and the newest public ones of this one's authors
    lambda now, articles, article: _as_links(Article.objects.filter(pk__in=articles)).union(
        _as_links(Article.objects.filter(pk__in=_by_its_authors(now, article))), all=True
    ),
    now=datetime,
    articles=list[int],
    article=int,
)


def _by_its_authors(now: datetime, article: int):
    """The ids of the newest public articles by the authors of ``article``, but it."""
    authors = Byline.objects.filter(article=article).values("contributor")
    return (
        Byline.objects.filter(public_article(now=now), contributor__in=authors)
        .exclude(article=article)
        .order_by("-article__publish_at", "-article")
        .values("article")[:RELATED_SIZE]
    )


def _as_links(articles):
    """What a link to an article shows."""
    return (
        articles.order_by()
        .select_related("series")
        .only("slug", "title", "kicker", "publish_at", "series", "series__name", "series__slug")
    )


def _for_the_page(articles):
    """With its series and special issue, cover and its credit, and whether
    it has corrections (most have none: no query for them then)."""
    has_corrections = Exists(Correction.objects.filter(article=OuterRef("pk")))
    return articles.select_related(*LIST_RELATIONS).annotate(has_corrections=has_corrections)


def _for_article_page(articles):
    """A previewed article with its series and special issue, cover and
    corrections, through the ORM (a preview costs the same whatever the
    article has: tests/articles/test_preview_links.py); its bylines come with
    its credits (``article_people()``)."""
    return articles.select_related(*LIST_RELATIONS).prefetch_related("corrections")


def _with_corrections(article: Article) -> Article:
    """``article`` (from ``_for_the_page()``) with its corrections."""
    attach([article], "corrections", _corrections_of(articles=[article.pk]) if article.has_corrections else [])
    return article


def _keep_private(response) -> None:
    """Previews are for one reader: never cached on the way, never indexed."""
    add_never_cache_headers(response)
    response["Cache-Control"] += ", private"
    response["X-Robots-Tag"] = "noindex, nofollow"
