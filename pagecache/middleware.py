"""The page cache: anonymous readers' pages kept whole, under the content version.

It stands near the top of ``MIDDLEWARE`` (after the security and CSP
headers, which are added to every response, cached or not), so a page
served from the cache costs no session, no authentication, no URL
resolution and no query.

What is cached: ``GET`` (and answered for ``HEAD``) of public addresses by a
request without a session or messages cookie and without ``Authorization``;
a ``200`` response, not streamed, that sets no cookie, is not ``private`` or
``no-store`` (previews are neither cached here nor on the way), and varies on
nothing but the cookie (the request had no session, so this is the page every
reader without one gets) and the language (when the site has only one).

Not cached: the admin, the editor's endpoints, signed preview links, media,
anything for a signed-in member of staff (they see previews), redirects and
errors. 404s are not cached either: anyone can invent addresses, and each
would take a place in the cache; a 404 costs one query.

The key is the address (scheme, host, path and query), the content version
(pagecache/version.py), the code's release, and for the search page the
search index's own state, which changes after the database commits.

Every cacheable page gets an ``ETag`` (the body's hash, computed once when
the page is stored), a ``Last-Modified`` (when the content version last
changed: nothing on the site has changed since) and ``Cache-Control:
no-cache`` (browsers and proxies may keep it but must ask again, and get a
``304 Not Modified`` while it holds).
"""

import functools
import hashlib
import logging
import os
import re
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date

from newsroom import db_router
from newsroom.cache import CacheUnavailable

from . import version

log = logging.getLogger(__name__)

# Never cached: staff pages, the editor's endpoints, signed preview links
# (private to their reader), uploaded media (files, streamed). tests/pagecache/
# fails if these addresses move out from under them.
NEVER_CACHED = ("/admin/", "/editor/", "/preview/", "/media/", "/static/")
# Headers a response may vary on and still be cached for every reader without a session.
HARMLESS_VARY = {"cookie", "accept-language"}
HEADER = "X-Page-Cache"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.NEWSROOM_PAGE_CACHE or not is_cacheable_request(request):
            return self.get_response(request)
        request.get_host()  # a Host outside ALLOWED_HOSTS is a 400, as without the cache
        try:
            current, key, entry = version.lookup(caches["pages"], lambda current: page_key(request, current))
        except CacheUnavailable:
            return self.get_response(request)  # Redis is down: logged by the cache, once in a while
        except Exception:
            # A cache that is down must not take the site with it: serve uncached.
            log.exception("page cache unavailable: serving %s uncached", request.path)
            return self.get_response(request)
        if entry is not None:
            response = _from_entry(entry)
            response[HEADER] = "hit"
            return _conditional(request, response, current)

        # With read replicas: from one that holds everything this version stands for.
        with db_router.fresh_as(current.stamp.lsn):
            response = self.get_response(request)
        if not is_cacheable_response(response):
            return response
        if not response.has_header("ETag"):
            set_response_etag(response)
        patch_cache_control(response, no_cache=True)
        if request.method == "GET":
            try:
                caches["pages"].set(key, _entry(response))
            except Exception:
                log.exception("page cache unavailable: %s not stored", request.path)
        response[HEADER] = "miss"
        return _conditional(request, response, current)


def is_cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.path_info.startswith(NEVER_CACHED):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return False
    if getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in request.COOKIES:
        return False  # a message waits to be shown (and removed) by the next page
    if request.path == search_path(settings.ROOT_URLCONF) and search_index_folder() is None:
        return False
    return True


def is_cacheable_response(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if "private" in cache_control or "no-store" in cache_control:
        return False
    vary = {header.strip().lower() for header in response.get("Vary", "").split(",") if header.strip()}
    harmless = HARMLESS_VARY if len(settings.LANGUAGES) == 1 else HARMLESS_VARY - {"accept-language"}
    return vary <= harmless


def page_key(request, current: version.Version) -> str:
    parts = [release(), current.key, request.scheme, request.get_host(), request.get_full_path()]
    if request.path == search_path(settings.ROOT_URLCONF):
        parts.append(search_index_state())
    return hashlib.md5("\n".join(parts).encode(), usedforsecurity=False).hexdigest()


def _entry(response) -> tuple:
    headers = [
        (name, value) for name, value in response.items() if name.lower() not in ("last-modified", HEADER.lower())
    ]
    return (response.status_code, headers, response.content)


def _from_entry(entry) -> HttpResponse:
    status, headers, content = entry
    return HttpResponse(content, status=status, headers=dict(headers))


def _conditional(request, response, current: version.Version):
    """``Last-Modified`` and the answer to ``If-None-Match``/``If-Modified-Since``.

    HTTP dates have whole seconds: while the content version is younger than
    a second, another change could follow within the same second, so no
    ``Last-Modified`` is sent then (the ``ETag`` still is)."""
    last_modified = int(current.last_modified)
    if last_modified < int(timezone.now().timestamp()):
        response["Last-Modified"] = http_date(last_modified)
    else:
        last_modified = None
        del response["Last-Modified"]
    return get_conditional_response(request, etag=response.get("ETag"), last_modified=last_modified, response=response)


# --- the parts of the key that are not the content version -----------------------------


@functools.cache
def release() -> str:
    """What the running code is: ``NEWSROOM_RELEASE`` when the deployment sets
    it, or a digest of Django's version and the project's code and templates
    (names, sizes and modification times). Pages kept in a shared cache by
    the previous release are then not served by this one."""
    if settings.NEWSROOM_RELEASE:
        return settings.NEWSROOM_RELEASE
    base = Path(settings.BASE_DIR)
    roots = [app.path for app in apps.get_app_configs() if Path(app.path).parent == base]  # not .venv's
    roots += [str(base / "newsroom"), *(str(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"])]
    digest = hashlib.md5(django.get_version().encode(), usedforsecurity=False)
    for root in sorted(set(roots)):
        for folder, _, files in sorted(os.walk(root)):
            for name in sorted(files):
                if name.endswith((".py", ".html", ".txt", ".xml", ".mo")):
                    stat = os.stat(os.path.join(folder, name))
                    digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@functools.lru_cache
def search_path(urlconf) -> str | None:
    try:
        return reverse("search:search", urlconf=urlconf)
    except NoReverseMatch:
        return None


TOC = re.compile(r"^_.+_\d+\.toc$")


def search_index_folder() -> str | None:
    """Where the embedded Whoosh index is; ``None`` for an index elsewhere."""
    options = settings.HAYSTACK_CONNECTIONS.get("default", {})
    if "whoosh" not in options.get("ENGINE", "").lower():
        return None
    return options.get("PATH") or None


def search_index_state() -> str | None:
    """The search index's current state, for the search page's key: results
    come from the index, which is written after the database commits (or
    later, when it was busy). For the embedded Whoosh index: its folder (a
    rebuild swaps it) and its table-of-contents files (one per commit).
    ``None`` (search pages not cached) for an index elsewhere."""
    path = search_index_folder()
    if path is None:
        return None
    try:  # PATH is a link to the current generation (search/backend.py), or a folder
        folder = os.path.join(os.path.dirname(path), os.readlink(path))
    except OSError:
        folder = path
    try:
        tocs = sorted(name for name in os.listdir(folder) if TOC.match(name))
    except OSError:
        tocs = ["missing"]
    return f"{folder}:{','.join(tocs)}"
