from dataclasses import dataclass

from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404

from ..models import Article, Series
from ..models.articles import EDITORS_ORDER
from .furniture import ArticlePagesView, arranged_credits, with_public_count


@dataclass
class ColumnBlock:
    """A column of a special issue on its page: its articles on this page,
    and how many it has. ``series`` is None for the articles directly in the
    special issue."""

    series: Series | None
    count: int
    articles: list[Article]


class SeriesDetailView(ArticlePagesView):
    """A series: its intro, cover and credits, then its articles in the
    editors' order. A special issue lists each of its columns as a block,
    then the articles directly in it, paginated as one list; a column names
    its special issue."""

    template_name = "articles/series_detail.html"
    context_object_name = "articles"
    paginate_by = 30

    def articles(self):
        series = Series.objects.select_related("parent", "cover", "cover__credit")
        self.series = get_object_or_404(series, slug=self.kwargs["slug"])
        self.columns = []
        if self.series.parent_id is None:  # a column has no columns of its own
            self.columns = [c for c in with_public_count(self.series.columns.all()) if c.public_count]
        return Article.objects.published().filter(series__in=[*self.columns, self.series])

    def ordered(self, articles):
        if not self.columns:
            # No blocks to order by (and a constant ORDER BY 0 is an error on PostgreSQL).
            return articles.order_by(*EDITORS_ORDER)
        # Column by column (in the columns' order), the special issue's own last.
        block = Case(
            *(When(series=column.pk, then=Value(i)) for i, column in enumerate(self.columns)),
            default=Value(len(self.columns)),
            output_field=IntegerField(),
        )
        return articles.order_by(block, *EDITORS_ORDER)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            series=self.series,
            credits=arranged_credits(series=self.series),
            columns=self.columns,
            blocks=self._blocks(context["articles"], context["paginator"].count) if self.columns else [],
        )
        return context

    def _blocks(self, articles, total: int) -> list[ColumnBlock]:
        """The page's articles as blocks, one for each column it reaches into."""
        counts = {column.pk: column.public_count for column in self.columns}
        counts[self.series.pk] = total - sum(counts.values())
        blocks: list[ColumnBlock] = []
        for article in articles:
            if not blocks or blocks[-1].articles[-1].series_id != article.series_id:
                column = article.series if article.series_id != self.series.pk else None
                blocks.append(ColumnBlock(series=column, count=counts[article.series_id], articles=[]))
            blocks[-1].articles.append(article)
        return blocks
