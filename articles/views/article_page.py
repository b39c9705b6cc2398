from datetime import datetime

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView

from newsroom.prepared import PreparedRead, attach

from ..models import Article, Correction
from ..models.articles import LIST_RELATIONS
from ..previews import article_for_preview
from ..review_rules import can_preview
from ..richtext import render_body
from .around import around, with_place
from .credits import article_people


class ArticleDetailView(DetailView):
    """The article page. Staff who may see articles in the admin read any
    article here, marked 预览; everyone else only what ``published()`` allows."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        self.now = timezone.now()
        slug = self.kwargs["slug"]
        if can_preview(self.request.user):
            found = _article_by_slug(now=self.now, slug=slug)
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
        return _for_article_page(Article.objects.all(), now=self.now)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(is_preview=True, preview_link_expires_at=self.link_expires_at)
        return context


# What the article page reads, each statement compiled once (newsroom/prepared.py).
_public_article_by_slug = PreparedRead(
    lambda now, slug: _for_the_page(Article.objects.published(now=now).filter(slug=slug), now=now),
    now=datetime,
    slug=str,
)
_article_by_slug = PreparedRead(  # for staff, who may preview any article
    lambda now, slug: _for_the_page(Article.objects.filter(slug=slug), now=now), now=datetime, slug=str
)
_corrections_of = PreparedRead(lambda articles: Correction.objects.filter(article__in=articles), articles=list[int])


def _for_the_page(articles, *, now: datetime):
    """With its series and special issue, cover and its credit, its place in
    its series (``with_place()``) and whether it has corrections (most have
    none: no query for them then)."""
    has_corrections = Exists(Correction.objects.filter(article=OuterRef("pk")))
    return with_place(articles.select_related(*LIST_RELATIONS), now=now).annotate(has_corrections=has_corrections)


def _for_article_page(articles, *, now: datetime):
    """A previewed article with its series and special issue, cover, place
    in its series and corrections, through the ORM (a preview costs the same
    whatever the article has: tests/articles/test_preview_links.py); its
    bylines come with its credits (``article_people()``)."""
    return with_place(articles.select_related(*LIST_RELATIONS), now=now).prefetch_related("corrections")


def _with_corrections(article: Article) -> Article:
    """``article`` (from ``_for_the_page()``) with its corrections."""
    attach([article], "corrections", _corrections_of(articles=[article.pk]) if article.has_corrections else [])
    return article


def _keep_private(response) -> None:
    """Previews are for one reader: never cached on the way, never indexed."""
    add_never_cache_headers(response)
    response["Cache-Control"] += ", private"
    response["X-Robots-Tag"] = "noindex, nofollow"
