"""What search sees of an article (django-haystack).

Only articles with status 已发布 are in the index, scheduled ones included;
searches filter on ``publish_at`` and ``expire_at`` at query time, so an
article becomes findable at its minute and leaves at its expiry with no
command run. Results are loaded through ``Article.objects.published()``
again, so nothing the public may not see is ever shown.
"""

from datetime import UTC, datetime

from haystack import indexes

from .models import Article
from .text import html_to_text

TITLE_WEIGHT = 3
# Whoosh date fields cannot be empty: "never expires" is stored as this.
NEVER = datetime(9999, 12, 31, tzinfo=UTC)


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, stored=False)
    series_id = indexes.IntegerField(null=True)
    publish_at = indexes.DateTimeField(model_attr="publish_at")
    expire_at = indexes.DateTimeField()

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return (
            Article.objects.filter(status=Article.Status.PUBLISHED)
            .select_related("series")
            .with_bylines()
            .with_credits()
            .order_by("pk")
        )

    def read_queryset(self, using=None):
        """What a hit loads: only what the public may see right now."""
        return Article.objects.published().for_lists()

    def prepare_text(self, article: Article) -> str:
        """Title, subtitle, body text, authors, series and credits, one per line
        (a match never spans two of them). The title is written three times:
        that is its weight in ranking, on Whoosh and on Elasticsearch alike,
        and it costs nothing at query time."""
        parts = [article.title] * TITLE_WEIGHT + [article.subtitle, html_to_text(article.body)]
        parts += [byline.contributor.name for byline in article.bylines.all()]
        parts += [credit.contributor.name for credit in article.credits.all()]
        if article.series:
            parts.append(article.series.name)
        return "\n".join(part for part in parts if part)

    def prepare_series_id(self, article: Article):
        return article.series_id

    def prepare_expire_at(self, article: Article):
        return article.expire_at or NEVER
