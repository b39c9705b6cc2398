from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.utils import timezone
from django.views.generic import ListView

from newsroom.prepared import PreparedRead

from ..models import Article, Series
from ..models.articles import EDITORS_ORDER
from .credits import series_credits
from .furniture import PreparedPages, attach_bylines, counted, with_public_count


@dataclass
class ColumnBlock:
    """A column of a special issue on its page: its articles on this page,
    and how many it has. ``series`` is None for the articles directly in the
    special issue."""

    series: Series | None
    count: int
    articles: list[Article]


class SeriesDetailView(ListView):
    """A series: its intro, cover and credits, then its articles in the
    editors' order. A special issue lists each of its columns as a block,
    then the articles directly in it, paginated as one list; a column names
    its special issue. Every statement is a prepared read (newsroom/prepared.py)."""

    template_name = "articles/series_detail.html"
    context_object_name = "articles"
    paginate_by = 30

    def get_queryset(self):
        now = timezone.now()
        found = _series_by_slug(slug=self.kwargs["slug"])
        if not found:
            raise Http404("没有这个专题")
        self.series = found[0]
        self.columns = []
        if self.series.parent_id is None:  # a column has no columns of its own
            self.columns = [c for c in _columns_of(now=now, series=self.series.pk) if c.public_count]
        return PreparedPages(
            count=_count, ids=_ids, now=now, series=self.series.pk, columns=[c.pk for c in self.columns]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        attach_bylines(context["articles"])
        context.update(
            series=self.series,
            credits=series_credits(self.series),
            columns=self.columns,
            blocks=self._blocks(context["articles"], context["paginator"].count) if self.columns else [],
        )
        return context

    def _blocks(self, articles, total: int) -> list[ColumnBlock]:
        """The page's articles as blocks, one for each column it reaches into."""
        counts = {column.pk: column.public_count for column in self.columns}
        counts[self.series.pk] = total - sum(counts.values())
        columns = {column.pk: column for column in self.columns}
        blocks: list[ColumnBlock] = []
        for article in articles:
            if not blocks or blocks[-1].articles[-1].series_id != article.series_id:
                column = columns.get(article.series_id)  # None: directly in the special issue
                blocks.append(ColumnBlock(series=column, count=counts[article.series_id], articles=[]))
            blocks[-1].articles.append(article)
        return blocks


def _in_series(now: datetime, series: int, columns: list[int]):
    """The published articles of a series and of its columns."""
    return Article.objects.published(now=now).filter(series__in=[*columns, series])


def _in_order(articles, columns: list[int]):
    """Column by column (in the columns' order), the special issue's own
    last; within each, the editors' order."""
    if not columns:
        # No blocks to order by (and a constant ORDER BY 0 is an error on PostgreSQL).
        return articles.order_by(*EDITORS_ORDER)
    block = Case(
        *(When(series=column, then=Value(i)) for i, column in enumerate(columns)),
        default=Value(len(columns)),
        output_field=IntegerField(),
    )
    return articles.order_by(block, *EDITORS_ORDER)


# What the series page reads, each statement compiled once.
_series_by_slug = PreparedRead(
    lambda slug: Series.objects.select_related("parent", "cover", "cover__credit").filter(slug=slug), slug=str
)
_columns_of = PreparedRead(
    lambda now, series: with_public_count(Series.objects.filter(parent=series), now=now), now=datetime, series=int
)
_count = PreparedRead(
    lambda now, series, columns: counted(_in_series(now, series, columns)),
    now=datetime,
    series=int,
    columns=list[int],
)
_ids = PreparedRead(
    lambda now, series, columns: _in_order(_in_series(now, series, columns), columns).values_list("pk", flat=True),
    sliced=True,
    now=datetime,
    series=int,
    columns=list[int],
)
