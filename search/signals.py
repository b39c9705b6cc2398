"""Haystack signal processor: after each transaction that touched articles,
one index write for all of them (search/indexing.py).

An article's search text includes its bylines, the credits printed with it
(its own, its series' and its special issue's), its series and special issue
and contributors' names, so changes to those re-index the articles they
belong to.
"""

import threading

from django.db import transaction
from django.db.models import Q, signals
from haystack.signals import BaseSignalProcessor

from articles.models import Article, Byline, Contributor, Credit, Series
from newsroom.on_commit import is_waiting

_pending = threading.local()


class ArticleSignalProcessor(BaseSignalProcessor):
    SENDERS = (Article, Byline, Credit, Series, Contributor)

    def setup(self):
        for sender in self.SENDERS:
            signals.post_save.connect(self.handle_save, sender=sender)
            signals.post_delete.connect(self.handle_delete, sender=sender)

    def teardown(self):
        for sender in self.SENDERS:
            signals.post_save.disconnect(self.handle_save, sender=sender)
            signals.post_delete.disconnect(self.handle_delete, sender=sender)

    def handle_save(self, sender, instance, **kwargs):
        if kwargs.get("raw"):  # loading fixtures
            return
        _schedule(_affected_articles(instance))

    def handle_delete(self, sender, instance, **kwargs):
        _schedule(_affected_articles(instance))


def _affected_articles(instance) -> set[int]:
    if isinstance(instance, Article):
        return {instance.pk}
    if isinstance(instance, Byline) or (isinstance(instance, Credit) and instance.article_id):
        return {instance.article_id}
    if isinstance(instance, Credit | Series):
        series_id = instance.pk if isinstance(instance, Series) else instance.series_id
        # The series' articles, and its columns' if it is a special issue.
        in_series = Q(series=series_id) | Q(series__parent=series_id)
        return set(Article.objects.filter(in_series).values_list("pk", flat=True))
    if isinstance(instance, Contributor):
        mine = Q(bylines__contributor=instance) | Q(credits__contributor=instance)
        mine |= Q(series__credits__contributor=instance) | Q(series__parent__credits__contributor=instance)
        return set(Article.objects.filter(mine).values_list("pk", flat=True))
    return set()


def _schedule(pks: set[int]) -> None:
    """Add to this transaction's batch; write it once the transaction commits.

    A batch belongs to the on-commit callback that will write it. If that
    callback has gone (its savepoint was rolled back), a new batch starts.
    """
    if not pks:
        return
    batch = getattr(_pending, "batch", None)
    if batch is not None and is_waiting(batch.flush):
        batch.pks |= pks
        return
    batch = _pending.batch = _Batch(pks)
    transaction.on_commit(batch.flush)  # outside a transaction: right now


class _Batch:
    def __init__(self, pks: set[int]):
        self.pks = set(pks)

    def flush(self):
        from .indexing import sync_articles

        if getattr(_pending, "batch", None) is self:
            _pending.batch = None
        sync_articles(self.pks)
