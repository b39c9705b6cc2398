"""What several pages share: counts of public articles, lists of articles
paginated by id, and their bylines. Credits are in credits.py."""

from datetime import datetime

from django.db.models import F, Func, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.views.generic import ListView

from newsroom.prepared import PreparedRead, attach

from ..models import Article, Byline


def with_public_count(series, *, now: datetime | None = None):
    """``series`` annotated with ``public_count``, its published articles
    (not its columns'): one index range each, inside the same query."""
    published = Article.objects.published(now=now).filter(series=OuterRef("pk"))
    return series.annotate(public_count=Coalesce(Subquery(counted(published), output_field=IntegerField()), 0))


def counted(articles):
    """How many ``articles``, as a statement of one row (``COUNT(id)``, no
    ``GROUP BY``): for a subquery, or a prepared read (``PreparedPages``)."""
    return articles.order_by().annotate(n=Func(F("pk"), function="COUNT")).values_list("n", flat=True)


# A page's articles by id, as lists show them, and their bylines (compiled once).
_teasers = PreparedRead(
    lambda articles: Article.objects.for_teasers().prefetch_related(None).filter(pk__in=articles), articles=list[int]
)
# A byline prints its role and its contributor's name and link: nothing else is read.
_bylines_of = PreparedRead(
    lambda articles: (
        Byline.objects.select_related("contributor")
        .only("article", "role", "position", "contributor__name", "contributor__slug")
        .filter(article__in=articles)
    ),
    articles=list[int],
)


def attach_bylines(articles: list[Article]) -> list[Article]:
    """``articles`` with their bylines (``article.bylines.all()``), in one query."""
    attach(articles, "bylines", _bylines_of(articles=[article.pk for article in articles]))
    return articles


class PreparedPages:
    """A list of published articles as Django's Paginator reads it
    (``count()``, then ``[start:stop]``), through prepared reads
    (newsroom/prepared.py) given the same ``arguments``: ``count`` (a
    ``counted()`` read) says how many, ``ids`` (``sliced``) gives a page's
    ids in the list's order, from the indexes; then the page's articles are
    loaded by id, as lists show them (``attach_bylines()`` adds their bylines,
    with those of anything else the page shows). Three statements for a page
    however long the list."""

    def __init__(self, *, count: PreparedRead, ids: PreparedRead, **arguments):
        self._count, self._ids, self.arguments = count, ids, arguments

    def count(self) -> int:
        return self._count(**self.arguments)[0]

    def __getitem__(self, window: slice) -> list[Article]:
        ids = self._ids(start=window.start, stop=window.stop, **self.arguments)
        found = {article.pk: article for article in _teasers(articles=ids)}  # all public: the ids are published()'s
        return [found[pk] for pk in ids if pk in found]


class ArticlePagesView(ListView):
    """A list of published articles, paginated by id.

    The paginator counts and slices ids in the page's order (``articles()``
    through ``ordered()``), which the indexes answer without reading the rows
    (SQLite stores the large body inline, before the columns they filter on);
    then the page's articles are loaded, in the same statement, by
    ``pk IN (that slice)``: a few rows however long the list."""

    def articles(self):
        """The published articles of this list, unordered."""
        raise NotImplementedError

    def ordered(self, articles):
        """``articles`` in the list's order."""
        raise NotImplementedError

    def get_queryset(self):
        return self.ordered(self.articles()).values_list("pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        page.object_list = self.ordered(Article.objects.for_teasers().filter(pk__in=page.object_list))
        context["object_list"] = context[self.get_context_object_name(page.object_list)] = page.object_list
        return context
