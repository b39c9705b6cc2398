"""The content version: the part of a cached page's key that follows the content.

A public page depends on the content (articles, series, contributors,
credits, corrections, pictures …) and on the clock: ``published()`` lets an
article in at its ``publish_at`` and out at its ``expire_at`` with nothing
written. The version stands for both, so a page cached under the current
version is the page a reader would get now:

- ``token`` is new after every write to the content (pagecache/signals.py):
  once when the row is written and again, with the schedule read afresh from
  the database, when the write's transaction commits (so a page rendered by
  another process from what was there before the commit cannot be kept
  under the new token);
- ``schedule`` holds the coming times at which ``published()`` changes by
  itself; how many of them have passed is part of the key, so the first
  request after a scheduled time gets a new key without anyone writing;
- the local date is part of the key too: pages print the year, and the
  archive and "today" depend on the date.

The version is kept where every process sees it (gunicorn runs several, and
the admin may save in one while a reader is served by another): a small file
in ``NEWSROOM_DATA_DIR`` when pages are cached in each process's memory (one
read per request, no query), or the shared cache itself (Redis). Reading it
never queries the database, except to rebuild a missing version (first
request after a deploy, a flushed Redis) or when more than
``SCHEDULE_LIMIT`` scheduled times have passed since the last write.

When Redis does not answer (newsroom/cache.py) the version is not known, and
no page is served from the cache (``CacheUnavailable``: the page is rendered
instead); a write whose new version could not be stored still succeeds. A
Redis that comes back with its data may then hold a version from before that
write, so every process that met the outage makes a new version (from the
database) before it trusts the cache again.

With read replicas (newsroom/db_router.py) the version also holds the
primary's WAL position when it was made: a page the cache is about to keep is
read from a replica only once that replica has replayed up to there, or it
would be kept under the new version with the old content.
"""

import bisect
import fcntl
import json
import logging
import os
import secrets
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.utils import timezone

from newsroom import db_router
from newsroom.cache import CacheUnavailable, strict
from newsroom.on_commit import is_waiting

log = logging.getLogger(__name__)

# How many coming publish/expire times the version remembers; past the last
# one the schedule is read again from the database (one query, once).
SCHEDULE_LIMIT = 100
# How long a writer waits for another writer's turn on the version.
LOCK_WAIT = 10.0
ZERO = timedelta(0)
# The news sitemap keeps an article while publish_at >= now - NEWS_DAYS: it
# leaves at the first instant after that (datetimes count microseconds).
JUST_AFTER = timedelta(microseconds=1)


@dataclass(frozen=True)
class Stamp:
    """What is stored: the token, when it changed, and the coming scheduled times
    (epoch seconds, sorted), known up to ``horizon`` (``None``: all of them);
    with read replicas, the primary's WAL position when the content was read
    (``lsn``: pages are read from a replica that has replayed that far)."""

    token: str
    changed_at: float
    schedule: tuple[float, ...] = ()
    horizon: float | None = None
    lsn: str | None = None

    @classmethod
    def new(cls, *, now: float, schedule=(), horizon: float | None = None, lsn: str | None = None) -> "Stamp":
        return cls(secrets.token_hex(8), now, tuple(sorted(set(schedule))), horizon, lsn)

    def with_times(self, times, *, now: float) -> "Stamp":
        """A new token; ``times`` added to the schedule, passed times dropped."""
        schedule = {t for t in self.schedule if t > now}
        schedule.update(t for t in times if t > now and (self.horizon is None or t <= self.horizon))
        return Stamp.new(now=now, schedule=schedule, horizon=self.horizon, lsn=self.lsn)

    def dumps(self) -> bytes:
        return json.dumps([self.token, self.changed_at, self.schedule, self.horizon, self.lsn]).encode()

    @classmethod
    def loads(cls, data: bytes) -> "Stamp | None":
        try:
            token, changed_at, schedule, horizon, lsn = json.loads(data)
            return cls(str(token), float(changed_at), tuple(schedule), horizon, lsn)
        except (TypeError, ValueError):
            return None  # torn or foreign (or an older release's): rebuilt like a missing one


@dataclass(frozen=True)
class Version:
    """The version at one instant: ``key`` for cache keys, and since when the
    content has been as it is (``last_modified``, epoch seconds)."""

    key: str
    last_modified: float
    stamp: Stamp = field(repr=False)


def current(now: datetime | None = None) -> Version:
    """The content version now (what the page cache keys pages with).
    ``CacheUnavailable`` when it is kept in Redis and Redis does not answer."""
    now = now or timezone.now()
    _after_an_outage(now)
    stamp = _read()
    if stamp is None or _beyond_horizon(stamp, now):
        stamp = refresh(now)
    return _at(stamp, now)


def lookup(cache, key_for) -> tuple[Version, str, object]:
    """The content version now, the key ``key_for`` makes of it, and what
    ``cache`` holds under that key.

    With the version in the shared cache (Redis) and unchanged since this
    thread last read it, one round trip fetches both the version and the
    entry under the key it gives; otherwise two.
    """
    now = timezone.now()
    shared = store()
    last = getattr(_last, "stamp", None)
    guessable = isinstance(shared, CacheStore) and shared.cache is cache and not _outage
    if guessable and last and not _beyond_horizon(last, now):
        guess = _at(last, now)
        key = key_for(guess)
        with _noting_outages():
            found = shared.strict.get_many([shared.KEY, key])
        if found.get(shared.KEY) == _last.data:
            return guess, key, found.get(key)
    version = current(now)
    key = key_for(version)
    with _noting_outages():
        return version, key, strict(cache).get(key)


def _beyond_horizon(stamp: Stamp, now: datetime) -> bool:
    return stamp.horizon is not None and now.timestamp() >= stamp.horizon


def _at(stamp: Stamp, now: datetime) -> Version:
    passed = bisect.bisect_right(stamp.schedule, now.timestamp())
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    last = max(stamp.changed_at, stamp.schedule[passed - 1] if passed else 0.0, midnight)
    return Version(f"{stamp.token}.{passed}.{local:%Y%m%d}", last, stamp)


def changed(*, times=()) -> None:
    """The content changed (the signal receivers call this for every write).

    ``times`` are the written article's ``publish_at``/``expire_at``. The
    token changes at once (the schedule merged, no query); inside a
    transaction it changes again, with the schedule read from the database,
    once the transaction commits.

    Never fails the write because the version's store (Redis) is down: the
    process remembers it and makes a new version once Redis answers again.
    """
    in_transaction = transaction.get_connection().in_atomic_block
    try:
        if in_transaction:
            touch(times=times)
        else:
            refresh()
    except CacheUnavailable:
        pass  # noted by _noting_outages, logged by the cache
    if in_transaction and not is_waiting(_refresh_on_commit):
        transaction.on_commit(_refresh_on_commit)


def touch(*, times=()) -> Stamp:
    """A new token now, ``times`` merged into the schedule; no query unless
    there is no version yet."""
    now = timezone.now()
    with _noting_outages(), store().locked():
        stamp = _read()
        if stamp is None:
            stamp = _from_database(now)
        else:
            stamp = stamp.with_times([t.timestamp() for t in times if t], now=now.timestamp())
        store().write(stamp.dumps())
    return stamp


def refresh(now: datetime | None = None) -> Stamp:
    """A new token, with the schedule read from the database (two queries)."""
    global _outage
    with _noting_outages(), store().locked():
        stamp = _from_database(now or timezone.now())
        store().write(stamp.dumps())
    _outage = False
    return stamp


def _refresh_on_commit() -> None:
    try:
        refresh()
    except CacheUnavailable:
        pass  # noted by _noting_outages, logged by the cache
    except Exception:
        # The write is committed; failing the request now would not undo it.
        log.exception("page cache: the content version could not be changed after a commit")


def scheduled_changes(now: datetime, *, limit: int | None = None) -> tuple[list[datetime], datetime | None]:
    """The coming times at which public pages change by themselves, after
    ``now``: a published article's ``publish_at`` (it appears) and
    ``expire_at`` (it goes), as ``Article.objects.published()`` has it, and
    the instant it leaves the Google News sitemap, which lists the last
    ``NEWS_DAYS`` days (articles/sitemaps.py). Returns them sorted, and the
    time up to which the list is complete (``None``: complete)."""
    from articles.models import Article
    from articles.sitemaps import NEWS_DAYS

    limit = limit or SCHEDULE_LIMIT
    signed_off = Article.objects.filter(status=Article.Status.PUBLISHED)
    news = timedelta(days=NEWS_DAYS) + JUST_AFTER
    found, horizon = [], None
    for name, after, shift in (("publish_at", now, ZERO), ("expire_at", now, ZERO), ("publish_at", now - news, news)):
        column = signed_off.filter(**{f"{name}__gt": after}).order_by(name).values_list(name, flat=True)
        times = [when + shift for when in column[:limit]]
        if len(times) == limit:
            horizon = times[-1] if horizon is None else min(horizon, times[-1])
        found += times
    return sorted({t for t in found if horizon is None or t <= horizon}), horizon


def article_times(article) -> list[datetime]:
    """The times at which ``article`` alone may change public pages (see
    ``scheduled_changes``), for its write to add to the schedule at once."""
    from articles.sitemaps import NEWS_DAYS

    times = [article.publish_at, article.expire_at]
    if article.publish_at:
        times.append(article.publish_at + timedelta(days=NEWS_DAYS) + JUST_AFTER)
    return [t for t in times if t]


def _from_database(now: datetime) -> Stamp:
    # From the primary, even in a reader's request: the version stands for
    # what has been written, not for what a replica has replayed so far.
    with db_router.primary():
        lsn = db_router.primary_position()
        times, horizon = scheduled_changes(now)
    return Stamp.new(
        now=now.timestamp(),
        schedule=[t.timestamp() for t in times],
        horizon=horizon.timestamp() if horizon else None,
        lsn=lsn,
    )


# --- when Redis does not answer ----------------------------------------------------------

# This process could not read or write the version in Redis since it last made
# one: a write of the version may have been lost.
_outage = False


@contextmanager
def _noting_outages():
    global _outage
    try:
        yield
    except CacheUnavailable:
        _outage = True
        raise


def _after_an_outage(now: datetime) -> None:
    """Once Redis answers again, a new version before anything is served from
    the cache: the one Redis holds may be from before a write it missed."""
    if _outage:
        refresh(now)


# --- where the version is kept ---------------------------------------------------------

_last = threading.local()


def _read() -> Stamp | None:
    with _noting_outages():
        data = store().read()
    if data is None:
        return None
    if getattr(_last, "data", None) != data:
        _last.data, _last.stamp = data, Stamp.loads(data)
    return _last.stamp


def store():
    pages = caches["pages"]
    if isinstance(pages, LocMemCache | DummyCache):
        return FileStore(settings.NEWSROOM_PAGE_CACHE_STAMP)
    return CacheStore(pages)


class FileStore:
    """A small file, replaced atomically; writers take turns with ``flock``."""

    def __init__(self, path):
        self.path = Path(path)

    def read(self) -> bytes | None:
        try:
            with open(self.path, "rb") as stamp:
                return stamp.read()
        except FileNotFoundError:
            return None

    def write(self, data: bytes) -> None:
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}")
        partial.write_bytes(data)
        os.replace(partial, self.path)

    @contextmanager
    def locked(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(f"{self.path.name}.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


class CacheStore:
    """One key of the shared cache (Redis); writers take turns with ``add``.
    Reads and writes raise ``CacheUnavailable`` when Redis does not answer
    (``strict``): a version that could not be read is not a missing one."""

    KEY = "content-version"

    def __init__(self, cache):
        self.cache = cache
        self.strict = strict(cache)

    def read(self) -> bytes | None:
        return self.strict.get(self.KEY)

    def write(self, data: bytes) -> None:
        self.strict.set(self.KEY, data, None)

    @contextmanager
    def locked(self):
        key, mine = f"{self.KEY}:lock", secrets.token_hex(8)
        deadline = time.monotonic() + LOCK_WAIT
        while not self.strict.add(key, mine, LOCK_WAIT):
            if time.monotonic() > deadline:
                log.warning("page cache: waited %.0f s for the content version's lock; going ahead", LOCK_WAIT)
                break
            time.sleep(0.002)
        try:
            yield
        finally:
            if self.cache.get(key) == mine:
                self.cache.delete(key)
