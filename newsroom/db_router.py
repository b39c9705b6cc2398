"""Readers' pages read from PostgreSQL streaming replicas; everything else from the primary.

``DATABASE_REPLICA_URLS=postgres://…,postgres://…`` adds one database alias
per replica (``replica_1``, ``replica_2`` …, newsroom/settings.py) and this
router. A read goes to a replica only when all of these hold:

- it belongs to a reader's request: ``ReadReplicaMiddleware`` marks a
  request as a reader's when it is a ``GET`` or ``HEAD`` outside the admin,
  the editor's endpoints and signed previews, and carries no session cookie.
  Only staff sign in, so everything an editor does (and the first page after
  a login or a save) reads from the primary, and an editor sees their own
  save at once. Code outside a request (commands, the shell) reads from the
  primary too;
- nothing has been written earlier in the request, and the read is not
  inside a transaction on the primary (``transaction.atomic``): a write's
  reads see what it wrote;
- a replica answers: connected within its ``connect_timeout``
  (``DATABASE_REPLICA_CONNECT_TIMEOUT``) and checked once per request, as
  Django's ``CONN_HEALTH_CHECKS`` does. One that fails is left alone for
  ``DATABASE_REPLICA_RETRY`` seconds (logged once, as a warning) and the
  reader is served from the primary, with no error;
- for a page the page cache will keep (pagecache/middleware.py): the
  replica has replayed the primary's WAL up to where the content version
  was made (``fresh_as``); one that lags is passed over for that page.

Writes and migrations go to the primary only.
"""

import logging
import random
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, Error, InterfaceError, OperationalError, connections
from django.http import HttpResponse

log = logging.getLogger(__name__)

PREFIX = "replica_"
# Addresses where every request is an editor's (the admin, CKEditor's upload
# and browse endpoints, signed preview links of drafts). tests/newsroom/test_replicas.py
# fails if these addresses move out from under them.
EDITORIAL_PATHS = ("/admin/", "/editor/", "/preview/")
# Seconds a replica that failed is left alone (settings.DATABASE_REPLICA_RETRY).
RETRY = 10.0


@dataclass
class Route:
    """Where one reader's request may read: ``primary_only`` once it wrote;
    the replica chosen at its first read (``None``: the primary); the WAL
    position that replica must have replayed (``min_lsn``); whether the
    replica failed while the request read from it."""

    primary_only: bool = False
    min_lsn: str | None = None
    replica: str | None = None
    chosen: bool = False
    replica_failed: bool = False  # the chosen replica failed mid-request: made again


# None outside a reader's request: the primary.
_route: ContextVar[Route | None] = ContextVar("newsroom_db_route", default=None)

# Per process: until when a replica that failed is left alone.
_down_until: dict[str, float] = {}
_lock = threading.Lock()


def replicas() -> list[str]:
    """The replicas' aliases, in settings order (empty without replicas)."""
    return [alias for alias in connections if alias.startswith(PREFIX)]


class ReplicaRouter:
    """``DATABASE_ROUTERS`` when there are replicas (see the module's docstring)."""

    def db_for_read(self, model, **hints):
        route = _route.get()
        if route is None or route.primary_only or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return _replica_for(route) or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        route = _route.get()
        if route is not None:
            route.primary_only = True  # the rest of the request reads what it wrote
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReadReplicaMiddleware:
    """Marks a reader's request before anything reads (see the module's
    docstring); without replicas it changes nothing.

    A replica that stops while a reader's page is being read from it (a
    restart, a failover) fails that read: the replica is then left alone like
    one that does not answer, and the page is made again from the primary (or
    another replica), so the reader gets it with no error. A reader's request
    writes nothing, so making it twice is safe."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        readers = is_readers_request(request)
        with reading(readers=readers):
            response = self.get_response(request)
            failed = _route.get().replica_failed
        if failed:
            with reading(readers=readers):
                response = self.get_response(request)
        return response

    def process_exception(self, request, exception):
        route = _route.get()
        if route is None or route.replica is None or route.replica_failed:
            return None
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None  # a mistake in the query, not a replica gone: the usual 500
        alias, route.replica, route.replica_failed = route.replica, None, True
        _leave_alone(alias, exception)
        try:
            connections[alias].close()
        except Error:
            pass
        return HttpResponse(status=503)  # replaced by the page made again (__call__)


def is_readers_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.path_info.startswith(EDITORIAL_PATHS)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


@contextmanager
def reading(*, readers: bool = True):
    """Reads in the block are a reader's request's (``readers``) or the
    primary's: what the middleware does for each request."""
    token = _route.set(Route(primary_only=not readers))
    try:
        yield
    finally:
        _route.reset(token)


@contextmanager
def primary():
    """Reads in the block come from the primary."""
    token = _route.set(Route(primary_only=True))
    try:
        yield
    finally:
        _route.reset(token)


@contextmanager
def fresh_as(lsn: str | None):
    """Reads in the block come from a replica only if it has replayed the
    primary's WAL up to ``lsn`` (from ``primary_position()``), else from the
    primary. ``None``: any replica."""
    route = _route.get()
    if lsn is None or route is None or route.primary_only:
        yield
        return
    before = (route.min_lsn, route.replica, route.chosen)
    route.min_lsn, route.replica, route.chosen = lsn, None, False
    try:
        yield
    finally:
        route.min_lsn, route.replica, route.chosen = before


def primary_position() -> str | None:
    """The primary's WAL position now (``None`` without replicas): what a
    replica must have replayed to hold everything committed so far. The write
    position, not the insert position: a replica that replayed everything
    reaches it (the insert position may point past the next page's header)."""
    if not replicas():
        return None
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def _replica_for(route: Route) -> str | None:
    """The replica this request reads from, chosen at its first read."""
    if not route.chosen:
        route.chosen = True
        candidates = replicas()
        random.shuffle(candidates)  # spread readers over the replicas
        route.replica = next((alias for alias in candidates if _answers(alias, route)), None)
    return route.replica


def _answers(alias: str, route: Route) -> bool:
    """Whether ``alias`` answers now (and has replayed ``route.min_lsn``)."""
    if _down_until.get(alias, 0.0) > time.monotonic():
        return False
    connection = connections[alias]
    try:
        # Django's own check (CONN_HEALTH_CHECKS, once per request) now, so a
        # replica that went away since the last request fails here, not in the view.
        connection.close_if_health_check_failed()
        if route.min_lsn is None:
            connection.ensure_connection()
            return True
        with connection.cursor() as cursor:
            # COALESCE: a server that is not a replica has everything.
            cursor.execute(
                "SELECT COALESCE(pg_last_wal_replay_lsn(), pg_current_wal_lsn()) >= %s::pg_lsn", [route.min_lsn]
            )
            return bool(cursor.fetchone()[0])  # behind: the primary serves this page
    except Error as error:
        _leave_alone(alias, error)
        try:
            connection.close()
        except Error:
            pass
        return False


def _leave_alone(alias: str, error: Exception) -> None:
    retry = float(getattr(settings, "DATABASE_REPLICA_RETRY", RETRY))
    with _lock:
        first = _down_until.get(alias, 0.0) <= time.monotonic()
        _down_until[alias] = time.monotonic() + retry
    if first:
        where = connections[alias].settings_dict
        log.warning(
            "database: replica %s (%s:%s) did not answer (%s); readers are served from the primary, "
            "the replica is tried again in %g s",
            alias,
            where.get("HOST"),
            where.get("PORT"),
            str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__,
            retry,
        )
