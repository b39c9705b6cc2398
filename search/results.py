"""A reader's search, as a sequence Django's Paginator can page through.

Built on haystack's SearchQuerySet, so the same code runs on the embedded
Whoosh index and on Elasticsearch. Every term must occur; the time filters
make a scheduled article findable at its minute and an expired one vanish;
the hits are loaded through ``Article.objects.published()`` (ArticleIndex.
read_queryset), so the database has the last word on what the public sees.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.safestring import SafeString
from haystack.inputs import Exact
from haystack.query import SearchQuerySet

from articles.models import Article, Series
from articles.text import html_to_text

from .highlight import highlight, snippet
from .query import ReaderQuery

SORTS = {"relevance": "按相关度", "date": "按时间（新的在前）"}


@dataclass
class Hit:
    article: Article
    title: SafeString  # with <mark>s
    snippet: SafeString


def matching(query: ReaderQuery, *, series: Series | None = None, sort: str = "relevance") -> SearchQuerySet:
    """The index's answer: live articles containing every term (no objects loaded)."""
    now = timezone.now()
    # Only articles are indexed: no model filter (it would cost Whoosh a second search).
    results = SearchQuerySet().filter(publish_at__lte=now, expire_at__gt=now)
    for term in query.terms:
        results = results.filter(text=Exact(term))
    if series is not None:
        results = results.filter(series_id=series.pk)
    return results.order_by("-publish_at") if sort == "date" else results


class ArticleSearch:
    def __init__(
        self, query: ReaderQuery, *, series: Series | None = None, sort: str = "relevance", page_size: int = 20
    ):
        self.query, self.page_size, self._count = query, page_size, None
        self._results = matching(query, series=series, sort=sort).load_all()

    def count(self) -> int:
        if self._count is None:
            self._count = 0
            if self.query:
                # One search answers both the total and the first page (the usual request).
                list(self._results[: self.page_size])
                self._count = len(self._results)
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, window: slice) -> list[Hit]:
        if not self.query:
            return []
        hits = []
        for result in self._results[window]:
            article = result.object
            if article is None:  # in the index but no longer public: skip, never show
                continue
            text = "\n".join(part for part in (article.subtitle, html_to_text(article.body)) if part)
            hits.append(Hit(article, highlight(article.title, self.query.terms), snippet(text, self.query.terms)))
        return hits
