"""Django's Redis cache, for which Redis not answering is a miss, not an error.

``CACHE_URL=redis://…`` (pagecache/conf.py) uses this backend for both
caches, and sessions read through it (``cached_db``, newsroom/settings.py).
When Redis is down, stopped, or slower than ``CACHE_REDIS_TIMEOUT``:

- every operation answers as if the key were missing (``get`` returns the
  default, ``add`` and ``delete`` return ``False``, ``set`` keeps nothing),
  so pages are rendered and sessions read from the database;
- for ``CACHE_REDIS_RETRY`` seconds after a failure Redis is left alone
  (each operation answers at once instead of waiting for a timeout again),
  and the failure is logged once for that period, as a warning;
- ``cache.strict`` has the same operations but raises ``CacheUnavailable``:
  for the page cache's content version (pagecache/version.py), which must
  know the difference between "missing" and "could not be read" so that it
  never serves a page it cannot prove current.

Only Redis' own errors (connection refused, timeouts, a server that answers
with an error) are turned into misses; a programming error still raises.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# Seconds Redis is left alone after a failure (the default for OPTIONS["retry_after"]).
RETRY_AFTER = 5.0

# Per process, per server: until when it is left alone. Cache objects are per
# thread (django.core.cache.caches), the state is shared by all of them.
_down_until: dict[str, float] = {}
_lock = threading.Lock()


class CacheUnavailable(Exception):
    """Redis did not answer (or did not, less than ``retry_after`` seconds ago)."""


class ResilientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that answers as a miss
    when Redis is down. ``OPTIONS`` are Django's (passed on to redis-py's
    connection pool: set ``socket_connect_timeout`` and ``socket_timeout``, or
    a Redis that hangs holds the request), plus ``retry_after`` (seconds)."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("retry_after", RETRY_AFTER))
        super().__init__(server, {**params, "OPTIONS": options})
        self.strict = Strict(self)

    @property
    def server(self) -> str:
        """Where Redis is, for the log (host and port: never the password)."""
        parts = urlsplit(self._servers[0])
        return f"{parts.hostname}:{parts.port or 6379}"

    def call(self, name: str, *args, **kwargs):
        """Django's ``RedisCache.<name>``; ``CacheUnavailable`` if Redis fails."""
        server = self._servers[0]
        if _down_until.get(server, 0.0) > time.monotonic():
            raise CacheUnavailable(f"Redis at {self.server} failed less than {self.retry_after:g} s ago")
        try:
            return getattr(super(), name)(*args, **kwargs)
        except RedisError as error:
            with _lock:
                first = _down_until.get(server, 0.0) <= time.monotonic()
                _down_until[server] = time.monotonic() + self.retry_after
            if first:
                log.warning(
                    "cache: Redis at %s did not answer (%s: %s); served as a miss, tried again in %g s",
                    self.server,
                    type(error).__name__,
                    error,
                    self.retry_after,
                )
            raise CacheUnavailable(f"Redis at {self.server} did not answer: {error}") from error

    def quietly(self, miss, name: str, *args, **kwargs):
        try:
            return self.call(name, *args, **kwargs)
        except CacheUnavailable:
            return miss

    # BaseCache's other operations (get_or_set, decr, the async ones, ``in``) go through these.

    def add(self, key, value, *args, **kwargs):
        return self.quietly(False, "add", key, value, *args, **kwargs)

    def get(self, key, default=None, version=None):
        return self.quietly(default, "get", key, default, version)

    def set(self, key, value, *args, **kwargs):
        return self.quietly(None, "set", key, value, *args, **kwargs)

    def touch(self, key, *args, **kwargs):
        return self.quietly(False, "touch", key, *args, **kwargs)

    def delete(self, key, *args, **kwargs):
        return self.quietly(False, "delete", key, *args, **kwargs)

    def get_many(self, keys, *args, **kwargs):
        return self.quietly({}, "get_many", keys, *args, **kwargs)

    def has_key(self, key, *args, **kwargs):
        return self.quietly(False, "has_key", key, *args, **kwargs)

    def incr(self, key, delta=1, version=None):
        try:
            return self.call("incr", key, delta, version)
        except CacheUnavailable:
            raise ValueError(f"Key '{key}' not found (Redis is unavailable).") from None  # as for a missing key

    def set_many(self, data, *args, **kwargs):
        return self.quietly(list(data), "set_many", data, *args, **kwargs)  # the keys not stored: all

    def delete_many(self, keys, *args, **kwargs):
        return self.quietly(None, "delete_many", keys, *args, **kwargs)

    def clear(self):
        return self.quietly(False, "clear")


class Strict:
    """A ``ResilientRedisCache``'s operations, raising ``CacheUnavailable``
    when Redis fails instead of answering as a miss."""

    def __init__(self, cache: ResilientRedisCache):
        self.cache = cache

    def __getattr__(self, name: str):
        def operation(*args, **kwargs):
            return self.cache.call(name, *args, **kwargs)

        return operation


def strict(cache):
    """``cache.strict`` for a ``ResilientRedisCache``; any other cache as it is
    (its errors, if it has any, are its own)."""
    return getattr(cache, "strict", cache)
