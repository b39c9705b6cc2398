"""Cache backends for tests, named by dotted path in ``settings.CACHES``."""

from django.core.cache.backends.locmem import LocMemCache


class BrokenCache(LocMemCache):
    """A cache server that is down."""

    def set(self, *args, **kwargs):
        raise ConnectionError("cache down")

    def get(self, *args, **kwargs):
        raise ConnectionError("cache down")
