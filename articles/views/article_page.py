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
from .furniture import arranged_credits, attach_bylines

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
        return _with_bylines_and_corrections(found[0])

    def get_context_data(self, **kwargs):
        article = self.object
        return super().get_context_data(
            is_preview=not article.is_live,
            body_html=render_body(article.body),
            credits=arranged_credits(article=article),
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
    """The article's place in its series and its related articles, in three
    queries: the ids of its series' public articles in the editors' order
    (series_position, publish_at, id), read from the series' index; the ids
    of its authors' newest other public articles, from their bylines; then
    the neighbours and the related articles by id. (In one statement, ``pk IN
    (…) OR pk IN (subquery)``, PostgreSQL reads every article: an OR with a
    subquery cannot use an index there.)

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
    # The authors' other public articles, from their bylines (a few rows each;
    # no query for an article without bylines).
    authors = [byline.contributor_id for byline in article.bylines.all()]
    by_authors = _by_authors(now=now, authors=authors, article=article.pk)
    wanted = sorted({pk for pk in (*nearest, previous_id, next_id, *by_authors) if pk is not None})
    # Every id comes from published(), in the statements before.
    found = {a.pk: a for a in _links_to(articles=wanted)}
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
_by_authors = PreparedRead(  # the newest public articles of these authors but this one
    lambda now, authors, article: (
        Byline.objects.filter(public_article(now=now), contributor__in=authors)
        .exclude(article=article)
        .order_by("-article__publish_at", "-article")
        .values_list("article", flat=True)[:RELATED_SIZE]
    ),
    now=datetime,
    authors=list[int],
    article=int,
)
_links_to = PreparedRead(  # what a link to an article shows
    lambda articles: (
        Article.objects.filter(pk__in=articles)
        .select_related("series")
        .only("slug", "title", "kicker", "publish_at", "series", "series__name", "series__slug")
    ),
    articles=list[int],
)


def _for_the_page(articles):
    """With its series and special issue, cover and its credit, and whether
    it has corrections (most have none: no query for them then)."""
    has_corrections = Exists(Correction.objects.filter(article=OuterRef("pk")))
    return articles.select_related(*LIST_RELATIONS).annotate(has_corrections=has_corrections)


def _for_article_page(articles):
    """A previewed article with its series and special issue, cover, bylines
    and corrections, through the ORM (a preview costs the same whatever the
    article has: tests/articles/test_preview_links.py)."""
    return articles.for_lists().prefetch_related("corrections")


def _with_bylines_and_corrections(article: Article) -> Article:
    """``article`` (from ``_for_the_page()``) with its bylines and corrections."""
    attach([article], "corrections", _corrections_of(articles=[article.pk]) if article.has_corrections else [])
    return attach_bylines([article])[0]


def _keep_private(response) -> None:
    """Previews are for one reader: never cached on the way, never indexed."""
    add_never_cache_headers(response)
    response["Cache-Control"] += ", private"
    response["X-Robots-Tag"] = "noindex, nofollow"
