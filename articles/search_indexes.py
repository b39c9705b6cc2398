"""What search sees of an article (django-haystack).

Only articles with status 已发布 are in the index, scheduled ones included;
searches filter on ``publish_at`` and ``expire_at`` at query time, so an
article becomes findable at its minute and leaves at its expiry with no
command run. Results are loaded through ``Article.objects.published()``
again, so nothing the public may not see is ever shown.
"""

from datetime import UTC, datetime

from django.db.models import Prefetch
from haystack import indexes

from .models import Article, Credit
from .text import html_to_text

TITLE_WEIGHT = 3
# Whoosh date fields cannot be empty: "never expires" is stored as this.
NEVER = datetime(9999, 12, 31, tzinfo=UTC)


def with_everything_searched(articles):
    """Articles (with their bylines) with the rest of what search indexes and
    shows: series and special issue, and the credits of the article, its
    series and its special issue with their contributors (three queries more,
    however many articles)."""
    credits = Credit.objects.select_related("contributor")
    return articles.select_related("series__parent").prefetch_related(
        Prefetch("credits", queryset=credits),
        Prefetch("series__credits", queryset=credits),
        Prefetch("series__parent__credits", queryset=credits),
    )


def printed_credits(article: Article) -> list[Credit]:
    """The credits an article page prints, before ``in_print_order()``
    arranges them: the article's own, its series', its special issue's, from
    the prefetched relations of ``with_everything_searched``."""
    series = article.series
    credits = list(article.credits.all())
    if series is not None:
        credits += series.credits.all()
        if series.parent is not None:
            credits += series.parent.credits.all()
    return credits


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, stored=False)
    series_id = indexes.IntegerField(null=True)
    publish_at = indexes.DateTimeField(model_attr="publish_at")
    expire_at = indexes.DateTimeField()

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return with_everything_searched(Article.objects.signed_off().with_bylines()).order_by("pk")

    def read_queryset(self, using=None):
        """What a hit loads: only what the public may see right now, with
        everything the result shows (search/results.py), in a fixed number of queries."""
        return with_everything_searched(Article.objects.public_list())

    def prepare_text(self, article: Article) -> str:
        """Everything a search result shows, one per line (a match never spans
        two of them): title, 引题, subtitle, 摘要, body text, authors, the
        credits printed with it (its own, its series' and its special issue's),
        series (and the special issue it belongs to), 来源. The title is written
        three times: that is its weight in ranking, on Whoosh and on
        Solr alike, and it costs nothing at query time."""
        parts = [article.title] * TITLE_WEIGHT + [article.kicker, article.subtitle, article.summary]
        parts.append(html_to_text(article.body))
        parts += [byline.contributor.name for byline in article.bylines.all()]
        parts += [credit.contributor.name for credit in printed_credits(article)]
        if article.series:
            parts += [article.series.name, article.series.parent.name if article.series.parent else ""]
        parts.append(article.source)
        return "\n".join(part for part in parts if part)

    def prepare_series_id(self, article: Article):
        return article.series_id

    def prepare_expire_at(self, article: Article):
        return article.expire_at or NEVER
