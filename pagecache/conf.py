"""``CACHE_URL`` → ``CACHES``, read by newsroom/settings.py (so this module
imports nothing from Django but its exception)."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# Rendered pages are kept at most this long: it frees memory, it is not what
# keeps them fresh (the content version in the key does that).
PAGE_TIMEOUT = 24 * 3600
# Pages one local-memory cache keeps, per process (a page is 20-60 KB).
LOCAL_PAGES = 1000

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
# Django's Redis cache, for which Redis being down is a miss (newsroom/cache.py).
REDIS = "newsroom.cache.ResilientRedisCache"


def cache_settings(url: str, *, timeout: float = 1.0, retry_after: float = 5.0) -> dict:
    """Two caches: ``default`` (picture renditions' state and the like) and
    ``pages`` (rendered pages and, when shared, the content version).

    Empty or ``locmem://``: local memory, per process. ``redis://host:6379/1``
    (or ``rediss://``): Redis, shared by every process, needs the ``redis``
    package; an operation waits at most ``timeout`` seconds for it, and after a
    failure it is left alone for ``retry_after`` seconds (pages are then
    rendered, sessions read from the database). ``dummy://``: nothing kept.
    """
    scheme = urlsplit(url).scheme
    if not url or scheme == "locmem":
        return {
            "default": {"BACKEND": LOCMEM, "LOCATION": "newsroom"},
            "pages": {
                "BACKEND": LOCMEM,
                "LOCATION": "newsroom-pages",
                "TIMEOUT": PAGE_TIMEOUT,
                "OPTIONS": {"MAX_ENTRIES": LOCAL_PAGES},
            },
        }
    if scheme in ("redis", "rediss"):
        options = {"socket_connect_timeout": timeout, "socket_timeout": timeout, "retry_after": retry_after}
        return {
            "default": {"BACKEND": REDIS, "LOCATION": url, "KEY_PREFIX": "newsroom", "OPTIONS": options},
            "pages": {
                "BACKEND": REDIS,
                "LOCATION": url,
                "KEY_PREFIX": "newsroom-pages",
                "TIMEOUT": PAGE_TIMEOUT,
                "OPTIONS": options,
            },
        }
    if scheme == "dummy":
        dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        return {"default": dummy, "pages": dummy}
    raise ImproperlyConfigured(f"CACHE_URL must start with redis://, rediss://, locmem:// or dummy://, not {url!r}")
