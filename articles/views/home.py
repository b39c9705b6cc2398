from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery, prefetch_related_objects
from django.views.generic import ListView

from ..models import Article, Series
from ..models.articles import bylines_in_order
from .furniture import with_public_count

# Articles named in each series block of the home page.
HOME_BLOCK_SIZE = 3


class HomeView(ListView):
    """The lead story (头条), the latest articles with their abstracts, and a
    block for each special issue and column. Page 2 and on: the latest only."""

    template_name = "articles/home.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        # Their bylines come below, with the lead story's, in one query.
        return Article.objects.public_list(teasers=True).prefetch_related(None)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        articles = list(page.object_list)
        lead = None
        if page.number == 1:
            lead = marked_lead() or (articles[0] if articles else None)
            # The lead is not repeated right under itself.
            articles = [article for article in articles if article != lead]
            context.update(lead=lead, series_blocks=series_blocks())
        prefetch_related_objects([*articles, *([lead] if lead else [])], bylines_in_order())
        page.object_list = context["object_list"] = context["articles"] = articles
        return context


def marked_lead() -> Article | None:
    """The newest published article the editors marked 头条 (the home page
    falls back to the latest)."""
    return lead_stories().first()


def lead_stories():
    """Published articles marked 头条, newest first: read through their own
    partial index (``article_lead_idx``), however few are marked."""
    return Article.objects.public_list(teasers=True).filter(is_lead=True).prefetch_related(None)


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


def series_blocks() -> list[SeriesBlock]:
    """Each special issue (its columns inside) and each other series with
    public articles, the most recently active first, in two queries however
    many series: each series row carries its count and the ids of its latest
    articles, found by index seeks (a window function would rank every
    article of every series), then one query loads those articles. The ids
    come from published(): loading them by id needs no second filter (which
    would lead SQLite to scan every public row)."""
    latest = Article.objects.published().filter(series=OuterRef("pk")).latest_first().values("pk")
    slots = {f"latest_{i}": Subquery(latest[i : i + 1]) for i in range(HOME_BLOCK_SIZE)}
    rows = list(with_public_count(Series.objects.all()).annotate(**slots))
    ids = {row.pk: [getattr(row, name) for name in slots] for row in rows}
    wanted = [pk for row_ids in ids.values() for pk in row_ids if pk is not None]
    found = Article.objects.only("slug", "title", "publish_at", "series_id").in_bulk(wanted) if wanted else {}
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
