from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.views.generic import ListView

from newsroom.prepared import PreparedRead

from ..models import Article, Series
from .furniture import PreparedPages, attach_bylines, counted, with_public_count

# Articles named in each series block of the home page.
HOME_BLOCK_SIZE = 3


class HomeView(ListView):
    """The lead story (头条), the latest articles with their abstracts, and a
    block for each special issue and column. Page 2 and on: the latest only."""

    template_name = "articles/home.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        self.now = timezone.now()
        return PreparedPages(count=_count, ids=_latest_ids, now=self.now)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        articles = list(page.object_list)
        lead = None
        if page.number == 1:
            lead = marked_lead(now=self.now) or (articles[0] if articles else None)
            # The lead is not repeated right under itself.
            articles = [article for article in articles if article != lead]
            context.update(lead=lead, series_blocks=series_blocks(now=self.now))
        attach_bylines([*articles, *([lead] if lead else [])])  # in one query
        page.object_list = context["object_list"] = context["articles"] = articles
        return context


def marked_lead(*, now: datetime | None = None) -> Article | None:
    """The newest published article the editors marked 头条 (the home page
    falls back to the latest)."""
    found = _marked_lead(now=now or timezone.now())
    return found[0] if found else None


def lead_stories(*, now: datetime | None = None):
    """Published articles marked 头条, newest first: read through their own
    partial index (``article_lead_idx``), however few are marked."""
    return Article.objects.public_list(teasers=True, now=now).filter(is_lead=True).prefetch_related(None)


@dataclass
class SeriesBlock:
    """A series on the home page: its latest few articles and its count."""

    series: Series
    count: int
    articles: list[Article]
    columns: list["SeriesBlock"] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Its public articles, with its columns' (a special issue's count)."""
        return self.count + sum(column.count for column in self.columns)

    @property
    def newest(self):
        moments = [article.publish_at for block in [self, *self.columns] for article in block.articles]
        return max(moments, default=None)


def series_blocks(*, now: datetime | None = None) -> list[SeriesBlock]:
    """Each special issue (its columns inside) and each other series with
    public articles, the most recently active first, in two queries however
    many series: each series row carries its count and the ids of its latest
    articles, found by index seeks (a window function would rank every
    article of every series), then one query loads those articles. The ids
    come from published(): loading them by id needs no second filter (which
    would lead SQLite to scan every public row)."""
    rows = _series_with_latest(now=now or timezone.now())
    ids = {row.pk: [getattr(row, name) for name in _LATEST_SLOTS] for row in rows}
    wanted = [pk for row_ids in ids.values() for pk in row_ids if pk is not None]
    found = {article.pk: article for article in _block_articles(articles=wanted)}
    blocks = {
        row.pk: SeriesBlock(
            series=row, count=row.public_count, articles=[found[pk] for pk in ids[row.pk] if pk in found]
        )
        for row in rows
    }
    tops = []
    for block in blocks.values():
        parent = blocks.get(block.series.parent_id)
        (parent.columns if parent else tops).append(block)
    for block in tops:
        block.columns = _newest_first(block.columns)
    return _newest_first(tops)


def _newest_first(blocks: list[SeriesBlock]) -> list[SeriesBlock]:
    active = [block for block in blocks if block.newest is not None]
    return sorted(active, key=lambda block: block.newest, reverse=True)


def _with_latest(series, *, now: datetime):
    """``series`` with their counts and the ids of their latest articles
    (``latest_0`` …), each found by an index seek."""
    latest = Article.objects.published(now=now).filter(series=OuterRef("pk")).latest_first().values("pk")
    slots = {name: Subquery(latest[i : i + 1]) for i, name in enumerate(_LATEST_SLOTS)}
    return with_public_count(series, now=now).annotate(**slots)


# What the home page reads, each statement compiled once (newsroom/prepared.py).
_LATEST_SLOTS = [f"latest_{i}" for i in range(HOME_BLOCK_SIZE)]
_count = PreparedRead(lambda now: counted(Article.objects.published(now=now)), now=datetime)
_latest_ids = PreparedRead(
    lambda now: Article.objects.published(now=now).latest_first().values_list("pk", flat=True),
    sliced=True,
    now=datetime,
)
_marked_lead = PreparedRead(lambda now: lead_stories(now=now)[:1], now=datetime)
_series_with_latest = PreparedRead(lambda now: _with_latest(Series.objects.all(), now=now), now=datetime)
_block_articles = PreparedRead(
    lambda articles: Article.objects.only("slug", "title", "publish_at", "series_id").filter(pk__in=articles),
    articles=list[int],
)
