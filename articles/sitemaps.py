"""Sitemaps: ``/sitemap.xml`` is an index of one sitemap per section
(``/sitemap-articles.xml`` …), plus the Google News sitemap
(``/sitemap-news.xml``, the last two days' articles).

Why an index: a sitemap file holds at most 50,000 URLs, and Django's sitemap
view pages a section past its ``limit`` (``?p=2``) but only an index tells a
crawler those pages exist. The index itself costs two small queries per
section (a count and the latest change), whatever the size of the site; each
section reads only the columns its URLs need (``values()``: a slug and a
date, never a body) and builds each URL from the slug. Articles come 10,000
a page, below the 50,000 allowed, so that one uncached page stays cheap to
render (the template, not the query, is most of its cost).

No ``changefreq`` or ``priority``: Google ignores both; ``lastmod`` is what
crawlers use.

Only what ``Article.objects.published()`` lets the public see appears, and
only series and contributors with such an article.
"""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from .models import Article, Contributor, Series

# Google News takes articles of the last two days, at most 1,000 a sitemap.
NEWS_DAYS = 2
NEWS_LIMIT = 1000


def published():
    return Article.objects.published()


def _path_prefix(url_name: str) -> str:
    """``/articles/`` for ``articles:article-detail``: URLs are built from the
    slug with string work, not one ``reverse()`` per URL (tests check they
    equal ``get_absolute_url()``)."""
    return reverse(url_name, kwargs={"slug": "-"})[:-2]


class SlugSitemap(Sitemap):
    """Items are ``values()`` dicts with the ``slug`` of a page named ``url_name``."""

    url_name = ""

    @cached_property
    def prefix(self) -> str:
        return _path_prefix(self.url_name)

    def location(self, item):
        return f"{self.prefix}{item['slug']}/"


class HomeSitemap(Sitemap):
    def items(self):
        return ["articles:home"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return _latest_change(published())


class ArticleSitemap(SlugSitemap):
    url_name = "articles:article-detail"
    limit = 10_000

    def items(self):
        # In id order: a page of the sitemap keeps its URLs as new articles come (they go on the last page).
        return published().order_by("pk").values("slug", "updated_at", "publish_at")

    def lastmod(self, item):
        return max(item["updated_at"], item["publish_at"])

    def get_latest_lastmod(self):
        return _latest_change(published())


class SeriesSitemap(SlugSitemap):
    url_name = "articles:series-detail"

    def items(self):
        newest = published().filter(Q(series=OuterRef("pk")) | Q(series__parent=OuterRef("pk"))).order_by("-updated_at")
        return (
            Series.objects.with_public_articles()
            .annotate(latest_article=Subquery(newest.values("updated_at")[:1]))
            .order_by("pk")
            .values("slug", "updated_at", "latest_article")
        )

    def lastmod(self, item):
        return max(item["updated_at"], item["latest_article"])

    def get_latest_lastmod(self):
        return max(
            filter(
                None, [_latest_change(published().exclude(series=None)), _latest(Series.objects.with_public_articles())]
            ),
            default=None,
        )


class ContributorSitemap(SlugSitemap):
    """Contributors with public work: a byline or credit on a public article,
    or a credit on a series that has public articles."""

    url_name = "articles:contributor-detail"

    def items(self):
        return Contributor.objects.with_public_work().order_by("pk").values("slug")

    lastmod = None  # a contributor's page changes with their articles: no date of its own


class NewsSitemap(SlugSitemap):
    """Google News: articles published in the last two days, newest first."""

    url_name = "articles:article-detail"
    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - timedelta(days=NEWS_DAYS)
        return (
            published()
            .filter(publish_at__gte=since)
            .order_by("-publish_at", "-pk")
            .values("slug", "title", "publish_at", "updated_at")
        )

    def lastmod(self, item):
        return max(item["updated_at"], item["publish_at"])

    def get_latest_lastmod(self):
        return _latest_change(published().filter(publish_at__gte=timezone.now() - timedelta(days=NEWS_DAYS)))


def _latest_change(articles):
    """When the newest of ``articles`` last changed or went out (one query)."""
    dates = articles.aggregate(updated=Max("updated_at"), published=Max("publish_at"))
    return max(filter(None, dates.values()), default=None)


def _latest(queryset):
    return queryset.aggregate(latest=Max("updated_at"))["latest"]


# The sections of /sitemap.xml, each at /sitemap-<section>.xml.
SITEMAPS = {
    "pages": HomeSitemap,
    "series": SeriesSitemap,
    "articles": ArticleSitemap,
    "contributors": ContributorSitemap,
}
# The index lists the news sitemap too; it has a view (and template) of its own.
INDEX = {**SITEMAPS, "news": NewsSitemap}
