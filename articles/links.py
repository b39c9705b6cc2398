"""Links to a page by its slug, or to a page without arguments, exactly as
``reverse()`` writes them, without a ``reverse()`` for each. A list page names
hundreds of articles, series and contributors, every page the home page and
the search page a few times, and each ``reverse()`` walks the URL resolver
(docs/benchmarks.md, "Pages").

The URL patterns stay the one source: the first link to a kind of page (per
script prefix and URLconf) is reversed with a placeholder slug, and the
others are that link with their slug in its place. A slug that a
``<slug:…>`` path converter would refuse goes to ``reverse()`` itself, so it
fails as before (``NoReverseMatch``)."""

import re
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse

# What a <slug:…> path converter matches (django.urls.converters.SlugConverter):
# nothing in it needs quoting in a URL.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_PLACEHOLDER = "slug-placeholder"


def slug_url(viewname: str, slug: str) -> str:
    """``reverse(viewname, kwargs={"slug": slug})``, for a view whose only
    argument is a slug."""
    return slug_urls(viewname)(slug)


def slug_urls(viewname: str) -> Callable[[str], str]:
    """``slug_url`` for many slugs of one view (the names of a list's
    bylines): the script prefix and URLconf looked up once."""
    before, after = _around_the_slug(viewname, *_resolving())

    def url(slug: str) -> str:
        return f"{before}{slug}{after}" if SLUG.fullmatch(slug or "") else reverse(viewname, kwargs={"slug": slug})

    return url


def fixed_url(viewname: str) -> str:
    """``reverse(viewname)``, for a view without arguments."""
    return _reversed(viewname, *_resolving())


def _resolving() -> tuple[str, str]:
    """The script prefix and URLconf ``reverse()`` would use now: part of
    every cache key below, so that each has its own links."""
    return get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF


@lru_cache(maxsize=128)
def _reversed(viewname: str, script_prefix: str, urlconf: str) -> str:
    return reverse(viewname, urlconf=urlconf)


@lru_cache(maxsize=128)
def _around_the_slug(viewname: str, script_prefix: str, urlconf: str) -> tuple[str, str]:
    before, after = reverse(viewname, kwargs={"slug": _PLACEHOLDER}, urlconf=urlconf).split(_PLACEHOLDER)
    return before, after


@lru_cache(maxsize=64)
def static_url(path: str) -> str:
    """``static(path)``, looked up in the static files' manifest once per
    process (the manifest is read at start-up, and a new collectstatic comes
    with a restart); again when a test changes the storage."""
    return static(path)


@receiver(setting_changed)
def _forget_static_urls(*, setting, **kwargs):
    if setting in ("STORAGES", "STATIC_URL"):
        static_url.cache_clear()
