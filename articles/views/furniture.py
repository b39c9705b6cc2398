"""What several pages share: credits as the paper prints them, counts of
public articles, and lists of articles paginated by id."""

from datetime import datetime

from django.db import router
from django.db.models import BooleanField, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.views.generic import ListView

from newsroom.prepared import PreparedRead, attach

from ..models import Article, Byline, Contributor, Credit, Series


def with_public_count(series, *, now: datetime | None = None):
    """``series`` annotated with ``public_count``, its published articles
    (not its columns'): one index range each, inside the same query."""
    published = Article.objects.published(now=now).filter(series=OuterRef("pk"))
    return series.annotate(public_count=Coalesce(Subquery(counted(published), output_field=IntegerField()), 0))


def counted(articles):
    """How many ``articles``, as a statement of one row (``COUNT(id)``, no
    ``GROUP BY``): for a subquery, or a prepared read (``PreparedPages``)."""
    return articles.order_by().annotate(n=Func(F("pk"), function="COUNT")).values_list("n", flat=True)


def arranged_credits(*, series: Series) -> list[Credit]:
    """The credits printed on a series page, in one query: the series', then
    its special issue's, arranged as ``arrange_credits()`` says."""
    owners = _owners(series)
    return arrange_credits(_series_credits(series=owners), owners)


def article_people(article: Article) -> list[Credit]:
    """The people an article page names, in one statement (``UNION ALL``): its
    bylines, given to the article (``article.bylines.all()`` then costs no
    query), and the credits printed under it, returned: its own, then its
    series', then the special issue's (``arrange_credits()``)."""
    alias = router.db_for_read(Byline)
    people: dict[int, Contributor] = {}
    bylines, credits = [], []
    for pk, role, position, contributor, name, slug, kind, series, is_byline in _people_of(
        article=article.pk, series=_owners(article.series)
    ):
        if contributor not in people:
            people[contributor] = Contributor.from_db(alias, _PERSON, (contributor, name, slug, kind))
        if is_byline:
            row = Byline.from_db(alias, _BYLINE, (pk, article.pk, contributor, role, position))
            bylines.append(row)
        else:  # a credit of the article itself has no series
            own = None if series else article.pk
            row = Credit.from_db(alias, _CREDIT, (pk, own, series, contributor, role, position))
            credits.append(row)
        type(row).contributor.field.set_cached_value(row, people[contributor])
    bylines.sort(key=lambda byline: (byline.position, byline.pk))  # Byline.Meta.ordering
    attach([article], "bylines", bylines)
    return arrange_credits(credits, _owners(article.series))


def arrange_credits(found: list[Credit], owners: list[int]) -> list[Credit]:
    """Credits as the paper prints them (``{% credits %}``, articles/templatetags/byline_tags.py): an
    article's own first, then those of ``owners`` (its series, the special
    issue) in turn, so that each role's names come together in the order the
    role first appears (总策划：傅健 曹乃付　出品人：张永源　出品：江门日报社),
    each name once per role."""
    rank = {pk: i for i, pk in enumerate(owners, start=1)}  # the article's own rank 0
    credits = sorted(found, key=lambda c: (rank.get(c.series_id, 0), c.position, c.pk))
    by_role: dict[str, list[Credit]] = {}
    for credit in credits:
        line = by_role.setdefault(credit.role, [])
        if all(c.contributor_id != credit.contributor_id for c in line):
            line.append(credit)
    return [credit for line in by_role.values() for credit in line]


def _owners(series: Series | None) -> list[int]:
    """The ids of ``series`` and of the special issue above it."""
    if series is None:
        return []
    return [series.pk, *([series.parent_id] if series.parent_id else [])]


def _people(rows, *, owner, is_byline: bool):
    """Bylines or credits as ``_people_of`` reads them: the same columns,
    the credit's series (``owner``) and which they are."""
    return (
        rows.order_by()
        .annotate(owner=owner, is_byline=Value(is_byline, output_field=BooleanField()))
        .values_list(*_PEOPLE_COLUMNS, "owner", "is_byline")
    )


# The credits of series, and an article's people (compiled once: newsroom/prepared.py).
_series_credits = PreparedRead(
    lambda series: Credit.objects.filter(series__in=series).select_related("contributor"), series=list[int]
)
_PEOPLE_COLUMNS = ("pk", "role", "position", *(f"contributor{column}" for column in ("", "__name", "__slug", "__kind")))
_people_of = PreparedRead(
    lambda article, series: _people(
        Byline.objects.filter(article=article), owner=Value(None, output_field=IntegerField()), is_byline=True
    ).union(
        _people(Credit.objects.filter(Q(series__in=series) | Q(article=article)), owner=F("series"), is_byline=False),
        all=True,
    ),
    article=int,
    series=list[int],
)
_PERSON = ("id", "name", "slug", "kind")
_BYLINE = ("id", "article_id", "contributor_id", "role", "position")
_CREDIT = ("id", "article_id", "series_id", "contributor_id", "role", "position")


# A page's articles by id, as lists show them, and their bylines (compiled once).
_teasers = PreparedRead(
    lambda articles: Article.objects.for_teasers().prefetch_related(None).filter(pk__in=articles), articles=list[int]
)
_bylines_of = PreparedRead(
    lambda articles: Byline.objects.select_related("contributor").filter(article__in=articles), articles=list[int]
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
