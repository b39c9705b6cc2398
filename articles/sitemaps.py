"""Sitemaps: ``/sitemap.xml`` is an index of one sitemap per section
(``/sitemap-articles.xml`` …), plus the Google News sitemap
(``/sitemap-news.xml``, the last two days' articles).

Why an index: a sitemap file holds at most 50,000 URLs, and Django's sitemap
view pages a section past its ``limit`` (``?p=2``) but only an index tells a
crawler those pages exist. Every section comes ``PAGE_SIZE`` URLs a page, so
one page stays cheap to render again after each change of the content
(docs/benchmarks.md, "Sitemaps").

What a request costs: the index two small queries per section (a count, for
its number of pages, and the latest change); a page of a section one query
(``PagePaginator``: the slice of ``values()``, a slug and a date, never a
body, and no count), read in the order of an index so that no page sorts
every public article first. Each URL is built from the slug with string
work. Pages are kept whole by the page cache
(pagecache/) like any public page, and a publication reaches them on the next
request.

No ``changefreq`` or ``priority``: Google ignores both; ``lastmod`` is what
crawlers use.

Only what ``Article.objects.published()`` lets the public see appears, and
only series and contributors with such an article.
"""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from .models import Article, Contributor, Series

# URLs on one page of a section (?p=2 for the next ones).
PAGE_SIZE = 1000
# Google News takes articles of the last two days, at most 1,000 a sitemap.
NEWS_DAYS = 2
NEWS_LIMIT = 1000
# A sitemap index lists at most 50,000 sitemaps: no section has more pages.
MAX_PAGES = 50_000


def published():
    return Article.objects.published()


def _path_prefix(url_name: str) -> str:
    """``/articles/`` for ``articles:article-detail``: URLs are built from the
    slug with string work, not one ``reverse()`` per URL (tests check they
    equal ``get_absolute_url()``)."""
    return reverse(url_name, kwargs={"slug": "-"})[:-2]


class PagePaginator(Paginator):
    """Reads a page with one query, the slice, and no count: a section's page
    needs only its own rows (the index still counts, for the number of pages).
    A page past the end is empty, as with Django's paginator: a 404."""

    def page(self, number):
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1 or number > MAX_PAGES:
            raise EmptyPage(self.error_messages["no_results"])
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return Page(rows, number, self)


class SlugSitemap(Sitemap):
    """Items are ``values()`` dicts with the ``slug`` of a page named ``url_name``,
    ``PAGE_SIZE`` a page, each page read with one query."""

    url_name = ""
    limit = PAGE_SIZE

    @property
    def paginator(self):
        return PagePaginator(self.items(), self.limit)

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

    def items(self):
        # In the order of article_public_idx (status, publish_at, id): a page is read from the
        # index, without sorting every public article first, and new articles go on the last page.
        return published().order_by("publish_at", "pk").values("slug", "updated_at", "publish_at")

    def lastmod(self, item):
        return max(item["updated_at"], item["publish_at"])

    def get_latest_lastmod(self):
        return _latest_change(published())


class SeriesSitemap(SlugSitemap):
    url_name = "articles:series-detail"

    def items(self):
        # A special issue changes with its columns' articles too. Two subqueries, each an
        # index seek per series (article_series_latest_idx); one condition "in the series
        # or in one of its columns" would read every public article once per series.
        in_columns = (
            Series.objects.filter(parent=OuterRef("pk"))
            .annotate(latest=_latest_in_series())
            .order_by()
            .values("parent")
            .annotate(latest=Max("latest"))
            .values("latest")
        )
        return (
            Series.objects.with_public_articles()
            .annotate(latest_article=_latest_in_series(), latest_in_columns=Subquery(in_columns))
            .order_by("pk")
            .values("slug", "updated_at", "latest_article", "latest_in_columns")
        )

    def lastmod(self, item):
        return max(filter(None, [item["updated_at"], item["latest_article"], item["latest_in_columns"]]))

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
            published().filter(publish_at__gte=since).latest_first().values("slug", "title", "publish_at", "updated_at")
        )

    def lastmod(self, item):
        return max(item["updated_at"], item["publish_at"])

    def get_latest_lastmod(self):
        return _latest_change(published().filter(publish_at__gte=timezone.now() - timedelta(days=NEWS_DAYS)))


def _latest_change(articles):
    """When the newest of ``articles`` last changed or went out (one query)."""
    dates = articles.aggregate(updated=Max("updated_at"), published=Max("publish_at"))
    return max(filter(None, dates.values()), default=None)


def _latest_in_series():
    """Subquery: when the newest public article of the series ``OuterRef("pk")``
    last changed or went out (``None`` without one)."""
    return Subquery(
        published()
        .filter(series=OuterRef("pk"))
        .order_by()
        .values("series")
        .annotate(latest=Max(Greatest("updated_at", "publish_at")))
        .values("latest")
    )


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
