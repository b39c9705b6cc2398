"""What an article page shows around the article: its place in its series
(第 N 篇 / 共 M 篇, previous and next in the editors' order) and the
articles to read next. The article's own statement brings the counts
(``with_place()``); one more brings every article linked (``around()``)."""

from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import zip_longest

from django.db.models import BooleanField, DateTimeField, F, Func, IntegerField, OuterRef, Subquery, Value
from django.utils import timezone

from newsroom.prepared import PreparedRead

from ..models import Article, Byline
from ..models.articles import EDITORS_ORDER, LINK_FIELDS, public_article
from .furniture import counted

# Articles suggested under an article.
RELATED_SIZE = 6
# A draft's place when its series' nearest are looked for: after every article
# (its neighbours are then the series' last ones), in the editors' order.
_AFTER_ALL = (2**31 - 1, datetime(9999, 1, 1, tzinfo=UTC), 2**62)


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


def with_place(articles, *, now: datetime):
    """``articles`` with ``series_total``, their series' public articles, and
    ``series_before``, how many of those come before each in the editors'
    order (series_position, publish_at, id): two counts of a range of the
    series' index, inside the article's own statement. They say the
    article's place when it is public itself (``Article.is_live``)."""
    in_series = Article.objects.published(now=now).filter(series=OuterRef("series"))
    before = in_series.filter(_earlier(OuterRef("series_position"), OuterRef("publish_at"), OuterRef("pk")))
    return articles.annotate(series_total=_number(in_series), series_before=_number(before))


def around(article: Article, *, now: datetime | None = None) -> AroundArticle:
    """The article's place in its series and the articles to read next, in
    one statement (``UNION ALL``): the public articles just before it and
    just after it in its series, in the editors' order (a few rows of the
    series' index each), and the newest other public articles of its
    authors, found from their bylines. (As ``pk IN (…) OR pk IN (subquery)``,
    PostgreSQL would read every article: an OR with a subquery has no index
    path there.) ``article`` comes from a read ``with_place()``.

    Related (published only, RELATED_SIZE at most): the series' articles
    nearest to this one in the editors' order, after the previous and next
    already linked, then the newest sharing an author. A draft, or an
    article not yet or no longer public, has no place: its nearest are its
    series' last ones."""
    now = now or timezone.now()
    if not article.series_id:
        return AroundArticle(place=None, related=_newest_by_its_authors(now=now, article=article.pk))
    live = article.is_live
    mine = (article.series_position, article.publish_at, article.pk) if live else _AFTER_ALL
    found: dict[int, Article] = {}
    for link in _near_and_by_authors(
        now=now, series=article.series_id, position=mine[0], moment=mine[1], pk=mine[2], article=article.pk
    ):
        link.by_authors = link.by_authors or getattr(found.get(link.pk), "by_authors", False)
        found[link.pk] = link
    in_series = [a for a in found.values() if a.series_id == article.series_id and a.pk != article.pk]
    # The series' nearest on each side, nearest first: every row of the two
    # windows, and no other (an author's article further away sorts beyond them).
    before = sorted((a for a in in_series if _key(a) < mine), key=_key, reverse=True)[: RELATED_SIZE + 1]
    after = sorted((a for a in in_series if _key(a) > mine), key=_key)[: RELATED_SIZE + 1]
    if live:
        previous, following = before[:1], after[:1]
        nearest = [a for pair in zip_longest(before[1:], after[1:]) for a in pair if a is not None]
    else:
        previous, following, nearest = [], [], before
    nearest = nearest[:RELATED_SIZE]
    linked = {a.pk for a in (*nearest, *previous, *following)}
    shared = sorted(
        (a for a in found.values() if a.by_authors and a.pk not in linked),
        key=lambda a: (a.publish_at, a.pk),
        reverse=True,
    )
    place = None
    if live:
        place = SeriesPlace(
            article.series_before + 1,
            total=article.series_total,
            previous=previous[0] if previous else None,
            next=following[0] if following else None,
        )
    return AroundArticle(place=place, related=[*nearest, *shared][:RELATED_SIZE])


class _InEditorsOrder(Func):
    """True where an article comes before (``<``) or after (``>``) the place
    ``(position, moment, pk)`` in the editors' order (series_position,
    publish_at, id): one comparison of row values, which SQLite and
    PostgreSQL answer as a range of the series' index
    (``article_series_editors_idx``), where the same said with ``OR``s
    reads the whole series."""

    output_field = BooleanField()

    def __init__(self, operator: str, position, moment, pk):
        columns = [F(name) for name in EDITORS_ORDER]
        place = [_value(position, IntegerField()), _value(moment, DateTimeField()), _value(pk, IntegerField())]
        super().__init__(*columns, *place)
        self.operator = operator

    def as_sql(self, compiler, connection, **extra_context):
        parts = [compiler.compile(expression) for expression in self.get_source_expressions()]
        columns, place = parts[:3], parts[3:]
        sql = f"({', '.join(s for s, _ in columns)}) {self.operator} ({', '.join(s for s, _ in place)})"
        return sql, [p for _, params in parts for p in params]


def _value(value, field):
    """An outer column (``OuterRef``) as it is, anything else a parameter of its type."""
    return value if hasattr(value, "resolve_expression") else Value(value, output_field=field)


def _earlier(position, moment, pk) -> _InEditorsOrder:
    return _InEditorsOrder("<", position, moment, pk)


def _later(position, moment, pk) -> _InEditorsOrder:
    return _InEditorsOrder(">", position, moment, pk)


def _key(article: Article) -> tuple:
    return article.series_position, article.publish_at, article.pk


def _number(articles) -> Subquery:
    return Subquery(counted(articles), output_field=IntegerField())


def _near(now: datetime, series: int, position: int, moment: datetime, pk: int, *, before: bool):
    """The series' public articles nearest before (or after) that place."""
    in_series = Article.objects.published(now=now).filter(series=series)
    if before:
        nearest = in_series.filter(_earlier(position, moment, pk)).order_by(*(f"-{f}" for f in EDITORS_ORDER))
    else:
        nearest = in_series.filter(_later(position, moment, pk)).order_by(*EDITORS_ORDER)
    return _as_links(Article.objects.filter(pk__in=nearest.values("pk")[: RELATED_SIZE + 1]), by_authors=False)


def _by_its_authors(now: datetime, article: int):
    """The newest public articles by the authors of ``article``, but it."""
    authors = Byline.objects.filter(article=article).values("contributor")
    newest = (
        Byline.objects.filter(public_article(now=now), contributor__in=authors)
        .exclude(article=article)
        .order_by("-article__publish_at", "-article")
        .values("article")[:RELATED_SIZE]
    )
    return _as_links(Article.objects.filter(pk__in=newest), by_authors=True)


def _as_links(articles, *, by_authors: bool):
    """What a link to an article shows, and where it was found."""
    return (
        articles.order_by()
        .select_related("series")
        .only(*LINK_FIELDS, "series_position")
        .annotate(by_authors=Value(by_authors, output_field=BooleanField()))
    )


# Compiled once (newsroom/prepared.py).
_near_and_by_authors = PreparedRead(
    lambda now, series, position, moment, pk, article: _near(now, series, position, moment, pk, before=True).union(
        _near(now, series, position, moment, pk, before=False), _by_its_authors(now, article), all=True
    ),
    now=datetime,
    series=int,
    position=int,
    moment=datetime,
    pk=int,
    article=int,
)
_only_by_its_authors = PreparedRead(lambda now, article: _by_its_authors(now, article), now=datetime, article=int)


def _newest_by_its_authors(*, now: datetime, article: int) -> list[Article]:
    """For an article outside any series: its authors' newest other articles."""
    return sorted(_only_by_its_authors(now=now, article=article), key=lambda a: (a.publish_at, a.pk), reverse=True)
