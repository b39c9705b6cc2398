"""Keeping the search index current: every change reaches it, none is lost.

Changes are collected per database transaction and written once it commits
(``ArticleSignalProcessor`` in search/signals.py). A write reads the
articles from the database while it holds the index lock, so the newest
state always wins. If the index stays locked longer than a reader should
wait (a rebuild is running), the change is queued in the database and the
next write, the rebuild's end or ``search_maintain`` applies it. A reader's
save never fails because of the index.
"""

import logging

from django.conf import settings
from haystack import connections

from articles.models import Article

from .backend import IndexBusy
from .models import PendingIndexChange

log = logging.getLogger(__name__)


def article_index():
    return connections["default"].get_unified_index().get_index(Article)


def sync_articles(pks, *, wait: float | None = None) -> bool:
    """Write these articles' current state (or absence) to the index, together
    with anything queued. Returns False if they had to be queued instead."""
    pks = set(pks)
    wait = settings.NEWSROOM_SEARCH_WRITE_WAIT if wait is None else wait
    backend = connections["default"].get_backend()
    queued = list(PendingIndexChange.objects.values_list("pk", "article_id"))
    already_queued = {article for _, article in queued}
    try:
        if hasattr(backend, "sync"):
            backend.sync(article_index(), pks | already_queued, timeout=wait)
        else:  # a search cluster (Solr): it has its own concurrency
            _sync_generic(backend, pks | already_queued)
    except IndexBusy:
        _queue(pks - already_queued)
        log.warning("search index busy: queued %d article(s) for later", len(pks))
        return False
    except Exception:
        # The database change is committed; the index must catch up later, never lose it.
        _queue(pks - already_queued)
        log.exception("search index write failed: queued %d article(s) for later", len(pks))
        return False
    # Only the rows read above: a change queued meanwhile stays queued.
    PendingIndexChange.objects.filter(pk__in=[pk for pk, _ in queued]).delete()
    return True


def _queue(pks) -> None:
    PendingIndexChange.objects.bulk_create(PendingIndexChange(article_id=pk) for pk in pks)


def apply_queued(*, wait: float | None = None) -> int:
    """Apply every queued change; returns how many articles were written."""
    queued = set(PendingIndexChange.objects.values_list("article_id", flat=True))
    if queued:
        sync_articles(queued, wait=wait)
    return len(queued)


def _sync_generic(backend, pks) -> None:
    index = article_index()
    current = {article.pk: article for article in index.index_queryset().filter(pk__in=pks)}
    if current:
        backend.update(index, list(current.values()))
    for pk in set(pks) - set(current):
        backend.remove(f"articles.article.{pk}")
