"""A reader's search, as a sequence Django's Paginator can page through.

Built on haystack's SearchQuerySet, so the same code runs on the embedded
Whoosh index and on Solr. Every term must occur; the time filters
make a scheduled article findable at its minute and an expired one vanish;
the hits are loaded through ``Article.objects.published()`` (ArticleIndex.
read_queryset), so the database has the last word on what the public sees.

A request runs one search: the page it shows and the total come from the
same pass (``ArticleSearch(page=…)``), whatever the page number. The page's
hits are then loaded by id in three statements compiled once
(``load_hits()``, newsroom/prepared.py), not through haystack's ``load_all``,
whose querysets Django built and compiled again for every page.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import SafeString
from haystack.inputs import Exact
from haystack.query import SearchQuerySet

from articles.models import Article, Credit
from articles.models.credits import in_print_order
from articles.search_indexes import printed_credits
from articles.share import series_chain
from articles.text import html_to_text
from articles.views.furniture import attach_bylines
from newsroom.prepared import PreparedRead, attach

from .highlight import highlight, match_spans, snippet
from .query import ReaderQuery

SORTS = {"relevance": "按相关度", "date": "按时间（新的在前）"}
# Above this, a page number is not searched for directly: the total comes with
# page 1, and the Paginator answers 99999999999999999999 with a 404.
MAX_PAGE_HINT = 10_000


class MarkedName:
    """A byline or a credit as the shared includes render it (``role``,
    ``contributor.name``, ``contributor.get_absolute_url`` …), with the
    contributor's name escaped and marked where the query matched it."""

    def __init__(self, relation, terms):
        self._relation = relation
        self.contributor = _MarkedContributor(relation.contributor, highlight(relation.contributor.name, terms))
        self.matched = bool(match_spans(relation.contributor.name, terms))

    def __getattr__(self, name):
        return getattr(self._relation, name)


class _MarkedContributor:
    def __init__(self, contributor, name: SafeString):
        self._contributor, self.name = contributor, name

    def __getattr__(self, name):
        return getattr(self._contributor, name)


@dataclass
class Hit:
    """One result as the page shows it: every text escaped, matches in <mark>s."""

    article: Article
    title: SafeString
    snippet: SafeString  # from the body; empty if it has no match and there is a summary
    kicker: SafeString = SafeString()  # 引题
    subtitle: SafeString = SafeString()
    summary: SafeString = SafeString()  # 摘要, when the editors wrote one
    series: SafeString = SafeString()
    special_issue: SafeString = SafeString()  # the series' parent, if it is a column
    source: SafeString = SafeString()  # 来源
    bylines: list[MarkedName] = field(default_factory=list)
    credits: list[MarkedName] = field(default_factory=list)  # the printed credits whose name matched


def hit(article: Article, terms) -> Hit:
    """What a reader sees of ``article`` for ``terms``: each of the fields the
    index holds (articles/search_indexes.py), marked where it matched."""
    summary = "\n".join(line.strip() for line in article.summary.splitlines() if line.strip())
    series = article.series
    return Hit(
        article=article,
        title=highlight(article.title, terms),
        snippet=snippet(html_to_text(article.body), terms, opening=not summary),
        kicker=highlight(article.kicker, terms),
        subtitle=highlight(article.subtitle, terms),
        summary=highlight(summary, terms),
        series=highlight(series.name, terms) if series else SafeString(),
        special_issue=highlight(series.parent.name, terms) if series and series.parent else SafeString(),
        source=highlight(article.source, terms),
        bylines=[MarkedName(byline, terms) for byline in article.bylines.all()],
        credits=_matched_credits(article, terms),
    )


def _matched_credits(article: Article, terms) -> list[MarkedName]:
    """The printed credits whose name matched, in the order the article page
    prints them (``in_print_order()``)."""
    marked = (MarkedName(credit, terms) for credit in in_print_order(printed_credits(article), article.series))
    return [credit for credit in marked if credit.matched]


def matching(
    query: ReaderQuery, *, series_ids=(), sort: str = "relevance", now: datetime | None = None
) -> SearchQuerySet:
    """The index's answer: articles live at ``now`` (by default the present)
    containing every term, in any of ``series_ids`` if given (no objects loaded)."""
    now = now or timezone.now()
    # Only articles are indexed: no model filter (it would cost Whoosh a second search).
    results = SearchQuerySet().filter(publish_at__lte=now, expire_at__gt=now)
    for term in query.terms:
        results = results.filter(text=Exact(term))
    if series_ids:
        results = results.filter(series_id__in=list(series_ids))
    return results.order_by("-publish_at") if sort == "date" else results


class ArticleSearch:
    def __init__(
        self,
        query: ReaderQuery,
        *,
        series_ids=(),
        sort: str = "relevance",
        page_size: int = 20,
        page=1,
    ):
        self.query, self.page_size, self._count = query, page_size, None
        self._now = timezone.now()
        self._results = matching(query, series_ids=series_ids, sort=sort, now=self._now)
        try:
            self._page = int(page) if 1 <= int(page) <= MAX_PAGE_HINT else 1
        except (TypeError, ValueError):
            self._page = 1  # the Paginator answers a bad number with a 404

    def count(self) -> int:
        if self._count is None:
            self._count = 0
            if self.query:
                # The page asked for, and the total, in one search; only a page past
                # the end (a 404 to come) costs a second one, for the total.
                start = (self._page - 1) * self.page_size
                list(self._results[start : start + self.page_size])
                self._count = len(self._results)
                if not self._count and self._page > 1:
                    self._results = self._results.all()  # a fresh copy: the total is searched again
                    list(self._results[: self.page_size])
                    self._count = len(self._results)
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, window: slice) -> list[Hit]:
        if not self.query or window.start >= window.stop:  # no hits: haystack would search again
            return []
        ids = [int(result.pk) for result in self._results[window]]
        found = load_hits(ids, now=self._now)
        # An article in the index but no longer public is not loaded, and not shown.
        return [hit(found[pk], self.query.terms) for pk in ids if pk in found]


def load_hits(ids: list[int], *, now: datetime) -> dict[int, Article]:
    """The articles of ``ids`` the public may read at ``now``, by id, with
    everything a result shows (as ``with_everything_searched``): series and
    special issue, cover, bylines, and the credits of the article, its series
    and its special issue. Three statements however many hits."""
    articles = _public_by_id(articles=ids, now=now)
    attach_bylines(articles)
    series = [s for article in articles for s in series_chain(article.series)]
    credits = _credits_of(articles=[article.pk for article in articles], series=sorted({s.pk for s in series}))
    attach(articles, "credits", [credit for credit in credits if credit.article_id is not None])
    attach(series, "credits", [credit for credit in credits if credit.series_id is not None])
    return {article.pk: article for article in articles}


# What a page of hits reads (compiled once: newsroom/prepared.py).
_public_by_id = PreparedRead(
    lambda articles, now: (
        Article.objects.published(now=now).select_related("series__parent", "cover").filter(pk__in=articles)
    ),
    articles=list[int],
    now=datetime,
)
_credits_of = PreparedRead(
    lambda articles, series: Credit.objects.select_related("contributor").filter(
        Q(article__in=articles) | Q(series__in=series)
    ),
    articles=list[int],
    series=list[int],
)
