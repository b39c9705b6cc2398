"""Whether a callback is already waiting for the current transaction to commit.

Django offers no public way to ask this; both users here (the search index
batch, search/signals.py, and the page cache's content version,
pagecache/version.py) need it to register one callback per transaction, not
one per saved row. This module is the only place that reads Django's private
``connection.run_on_commit`` list (entries ``(savepoint ids, callback,
robust)``); tests/newsroom/test_on_commit.py fails by name if Django changes
it. A callback whose savepoint was rolled back is gone from the list, so the
caller registers afresh.
"""

from django.db import transaction


def is_waiting(callback, using=None) -> bool:
    connection = transaction.get_connection(using)
    return connection.in_atomic_block and any(entry[1] == callback for entry in connection.run_on_commit)
