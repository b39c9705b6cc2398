"""Health checks, for a monitor and for a load balancer.

- ``/healthz``, for a monitor: 200 when the database, every cache and the
  search index answer; 503 naming the ones that do not.
- ``/readyz``, for a load balancer: 200 while this server serves readers'
  pages, i.e. while the database answers. A cache (Redis) or a search
  index that does not answer is named in the body but leaves it 200: every
  app server shares them, pages are still served without them
  (newsroom/cache.py), and a balancer that took every server out because
  Redis restarted would turn a slower site into no site.

Both are never cached (``no-store``, which the page cache also honours),
exempt from the HTTPS redirect, and without error details: those go to the
log, not to whoever asks.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)


class NotAnswering(Exception):
    """A check's own finding (a cache that does not keep what it was given, a
    search cluster that does not answer its ping): logged as one line, since
    the cause is logged where it happened (newsroom/cache.py for Redis)."""


def check_database() -> None:
    # The primary only: a read replica that does not answer is skipped by the
    # router (newsroom/db_router.py) and readers are served from the primary,
    # so it must not take this server out of a load balancer.
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    probe = uuid.uuid4().hex
    for alias in settings.CACHES:
        cache = caches[alias]
        cache.set("newsroom:healthz", probe, timeout=10)
        if cache.get("newsroom:healthz") != probe:
            raise NotAnswering(f"cache {alias!r} did not return what was stored")


def check_search() -> None:
    from haystack import connections as search_connections

    backend = search_connections["default"].get_backend()
    if hasattr(backend, "searcher"):  # Whoosh: this thread's searcher, reopened only if the index changed
        backend.searcher().doc_count()
    elif not backend.conn.ping():  # Solr: its /admin/ping (raises when it does not answer)
        raise NotAnswering("search cluster did not answer")


CHECKS = {"database": check_database, "cache": check_cache, "search": check_search}


@never_cache
@require_safe
def healthz(request):
    return _answer(required=tuple(CHECKS))


@never_cache
@require_safe
def readyz(request):
    return _answer(required=("database",))


def _answer(*, required) -> JsonResponse:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except NotAnswering as finding:
            log.warning("healthz: %s is not answering: %s", name, finding)
            results[name] = "error"
        except Exception:
            log.exception("healthz: %s is not answering", name)
            results[name] = "error"
        else:
            results[name] = "ok"
    failing = [name for name, result in results.items() if result != "ok"]
    ready = not any(name in failing for name in required)
    body = {"status": "ok" if not failing else "error", "failing": failing, "checks": results}
    return JsonResponse(body, status=200 if ready else 503, json_dumps_params={"ensure_ascii": False})
