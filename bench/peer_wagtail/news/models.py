"""The peer's pages, as the Wagtail tutorial's blog would have them for a
paper: a home page, a page per series (栏目) holding its articles, and the
articles, whose authors are snippets. Made as a careful Wagtail developer
would for 10,000 pages: lists are paginated, read in an index's order and
prefetch their authors; the series of each teaser come from one query, not
one per article."""

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from modelcluster.fields import ParentalManyToManyField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

# Articles named in each series block of the home page, as on Newsroom's.
HOME_BLOCK_SIZE = 3


@register_snippet
class Author(models.Model):
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name


class ArticlePage(Page):
    date = models.DateTimeField("发布时间")
    intro = models.CharField("摘要", max_length=250, blank=True)
    body = RichTextField("正文")
    authors = ParentalManyToManyField(Author, blank=True)

    parent_page_types = ["news.SeriesPage"]
    subpage_types = []

    class Meta:
        # The lists' order, newest first, read from an index (not sorted per request).
        indexes = [models.Index(fields=["date", "page_ptr"], name="article_date_idx")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        siblings = ArticlePage.objects.live().sibling_of(self, inclusive=False)
        newer = Q(date__gt=self.date) | Q(date=self.date, pk__gt=self.pk)
        older = Q(date__lt=self.date) | Q(date=self.date, pk__lt=self.pk)
        context.update(
            series=self.get_parent(),
            authors=list(self.authors.all()),
            previous=siblings.filter(newer).order_by("date", "pk").first(),
            next=siblings.filter(older).order_by("-date", "-pk").first(),
        )
        return context


class SeriesPage(Page):
    intro = RichTextField("简介", blank=True)

    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = ArticlePage.objects.live().child_of(self).order_by("-date", "-pk").prefetch_related("authors")
        context["articles"] = Paginator(articles, 30).get_page(request.GET.get("page"))
        return context


class HomePage(Page):
    subpage_types = ["news.SeriesPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # One site, so every article is under this page: no tree filter (a path LIKE,
        # which SQLite answers by scanning every page), the date index read newest first.
        latest = ArticlePage.objects.live().order_by("-date", "-pk").prefetch_related("authors")
        page = Paginator(latest, 20).get_page(request.GET.get("page"))
        series = list(SeriesPage.objects.live().child_of(self).order_by("path"))  # counts: treebeard's numchild
        by_path = {s.path: s for s in series}
        for article in page:
            article.series = by_path.get(article.path[: -Page.steplen])
        blocks = [
            (s, ArticlePage.objects.live().child_of(s).order_by("-date", "-pk")[:HOME_BLOCK_SIZE]) for s in series
        ]
        context.update(articles=page, blocks=blocks)
        return context
