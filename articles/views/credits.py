"""Who an article or series page names besides its authors' bylines: the
production credits (总策划, 出品人, 出品, 责任编辑 …) as the paper prints
them, and, for an article, its bylines with them in one statement."""

from django.db import router
from django.db.models import BooleanField, F, IntegerField, Q, Value

from newsroom.prepared import PreparedRead, attach

from ..models import Article, Byline, Contributor, Credit, Series
from ..models.credits import credit_owners, in_print_order


def series_credits(series: Series) -> list[Credit]:
    """The credits printed on a series page, in one query: the series', then
    its special issue's (``in_print_order()``)."""
    return in_print_order(_series_credits(series=credit_owners(series)), series)


def article_people(article: Article) -> list[Credit]:
    """The people an article page names, in one statement (``UNION ALL``): its
    bylines, given to the article (``article.bylines.all()`` then costs no
    query), and the credits printed under it, returned: its own, then its
    series', then the special issue's (``in_print_order()``)."""
    alias = router.db_for_read(Byline)
    people: dict[int, Contributor] = {}
    bylines, credits = [], []
    for pk, role, position, contributor, name, slug, kind, owner, is_byline in _people_of(
        article=article.pk, series=credit_owners(article.series)
    ):
        if contributor not in people:
            people[contributor] = Contributor.from_db(alias, _PERSON, (contributor, name, slug, kind))
        if is_byline:
            row = Byline.from_db(alias, _BYLINE, (pk, article.pk, contributor, role, position))
            bylines.append(row)
        else:  # a credit of the article itself has no series (owner)
            own = None if owner else article.pk
            row = Credit.from_db(alias, _CREDIT, (pk, own, owner, contributor, role, position))
            credits.append(row)
        type(row).contributor.field.set_cached_value(row, people[contributor])
    bylines.sort(key=lambda byline: (byline.position, byline.pk))  # Byline.Meta.ordering
    attach([article], "bylines", bylines)
    return in_print_order(credits, article.series)


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
_PEOPLE_COLUMNS = (
    "pk",
    "role",
    "position",
    "contributor",
    "contributor__name",
    "contributor__slug",
    "contributor__kind",
)
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
