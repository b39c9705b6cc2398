"""Newsroom settings, read from the environment.

Local defaults just work (SQLite and everything else under ``./var/``);
production sets ``DJANGO_DEBUG=0`` and must then provide ``DJANGO_SECRET_KEY``
and ``DJANGO_ALLOWED_HOSTS`` or the process refuses to start.
"""

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from pagecache.conf import cache_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0 (or true/false), not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("NEWSROOM_DATA_DIR") or BASE_DIR / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", True)


def _secret_key() -> str:
    key = os.environ.get("DJANGO_SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0.")
    # A local key kept with the local data, so sessions and signed preview
    # links survive a restart of the development server.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG=0.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "ckeditor",
    "csp",
    "reversion",
    "imagekit",
    "articles",
    "images",
    "search",  # before haystack: its rebuild_index replaces haystack's
    "pagecache",
    "haystack",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsroom.csp.ContentSecurityPolicyMiddleware",
    # Anonymous readers' pages, whole (pagecache/middleware.py): a hit skips everything below.
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'newsroom.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a concurrent writer instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Local memory by default; CACHE_URL=redis://127.0.0.1:6379/1 shares the caches
# (and the content version) between processes and hosts (docs/caching.md).
CACHES = cache_settings(os.environ.get("CACHE_URL", ""))
# Whole pages for anonymous readers, never stale (pagecache/): on in production,
# off by default in development, where templates change under a running server.
NEWSROOM_PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", not DEBUG)
# Where the content version is kept when pages are cached in local memory.
NEWSROOM_PAGE_CACHE_STAMP = DATA_DIR / "page-cache-version"
# What the running code is (e.g. a commit id): empty, a digest of the code is used.
NEWSROOM_RELEASE = os.environ.get("NEWSROOM_RELEASE", "")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Apps' static files minus CKEditor's sample pages, tests and unused plugins
# (newsroom/staticfiles.py): neither served nor collected.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "newsroom.staticfiles.EditorStaticFinder",
]
# An absolute NEWSROOM_MEDIA_URL when media are served from another host (object
# storage, a CDN): the CSP and the body allow-list then accept pictures from it.
MEDIA_URL = os.environ.get("NEWSROOM_MEDIA_URL") or "media/"
MEDIA_ROOT = DATA_DIR / "media"
# Where uploads and their renditions are stored: the local folder above, or any
# Django storage (django-storages' S3 for S3-compatible object storage) named by
# NEWSROOM_MEDIA_STORAGE, with its options as JSON in
# NEWSROOM_MEDIA_STORAGE_OPTIONS (docs/images.md).
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("NEWSROOM_MEDIA_STORAGE") or "django.core.files.storage.FileSystemStorage",
        "OPTIONS": json.loads(os.environ.get("NEWSROOM_MEDIA_STORAGE_OPTIONS") or "{}"),
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Picture uploads (images/uploads.py): the largest file and the most pixels taken.
NEWSROOM_UPLOAD_MAX_MB = float(os.environ.get("NEWSROOM_UPLOAD_MAX_MB") or 20)
NEWSROOM_UPLOAD_MAX_MEGAPIXELS = float(os.environ.get("NEWSROOM_UPLOAD_MAX_MEGAPIXELS") or 50)

# The body editor's configuration (CKEditor 4) is built in articles/editor.py
# from the same allow-list that cleans every stored body (articles/richtext.py).
# Hosts besides this site's media that article pictures may come from.
NEWSROOM_IMAGE_HOSTS = env_list("NEWSROOM_IMAGE_HOSTS", [])
# Only together with docs/security.md, which names each silenced check and says
# why (tests/newsroom/test_deploy.py fails if the two drift apart).
# ckeditor.W001: CKEditor 4.22.1 is end-of-life (no free security releases);
# what is exposed and what contains it is in docs/security.md.
SILENCED_SYSTEM_CHECKS = ["ckeditor.W001"]


def search_connections(url: str) -> dict:
    """``SEARCH_URL`` → HAYSTACK_CONNECTIONS. Empty: the embedded Whoosh index in
    NEWSROOM_DATA_DIR. ``elasticsearch://host:9200/newsroom``: Elasticsearch 7
    (see docs/search.md). ``whoosh:///path/to/index``: Whoosh elsewhere."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if not url or parts.scheme == "whoosh":
        return {
            "default": {
                "ENGINE": "search.backend.ChineseWhooshEngine",
                "PATH": parts.path if url else str(DATA_DIR / "search_index"),
                "LOCK_TIMEOUT": 60,
                "BUILD_PROCS": int(os.environ.get("SEARCH_BUILD_PROCS", "2")),
                "BUILD_MEMORY_MB": int(os.environ.get("SEARCH_BUILD_MEMORY_MB", "2048")),
            }
        }
    if parts.scheme in ("elasticsearch", "elasticsearch+https"):
        scheme = "https" if parts.scheme.endswith("https") else "http"
        auth = f"{parts.username}:{parts.password}@" if parts.username else ""
        return {
            "default": {
                "ENGINE": "search.elasticsearch.ChineseElasticsearch7Engine",
                "URL": f"{scheme}://{auth}{parts.hostname}:{parts.port or 9200}/",
                "INDEX_NAME": parts.path.strip("/") or "newsroom",
            }
        }
    raise ImproperlyConfigured(f"SEARCH_URL must start with elasticsearch:// or whoosh://, not {url!r}")


HAYSTACK_CONNECTIONS = search_connections(os.environ.get("SEARCH_URL", ""))
HAYSTACK_SIGNAL_PROCESSOR = "search.signals.ArticleSignalProcessor"
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False
# How long a save waits for the search index (busy while rebuilding) before
# queuing its change for later instead; the reader never sees an error.
NEWSROOM_SEARCH_WRITE_WAIT = float(os.environ.get("NEWSROOM_SEARCH_WRITE_WAIT", "5"))

NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "江门日报 Newsroom")
# Share cards, JSON-LD and the Google News sitemap (articles/share.py): who
# publishes the site, its logo (a URL or a path; empty: the bundled logo), and
# the home page's description (empty: made from the site name).
NEWSROOM_PUBLISHER_NAME = os.environ.get("NEWSROOM_PUBLISHER_NAME", "江门日报社")
NEWSROOM_PUBLISHER_LOGO = os.environ.get("NEWSROOM_PUBLISHER_LOGO", "")
NEWSROOM_SITE_DESCRIPTION = os.environ.get("NEWSROOM_SITE_DESCRIPTION", "")
# How long a signed preview link for reviewers without an account stays valid.
NEWSROOM_PREVIEW_LINK_HOURS = int(os.environ.get("NEWSROOM_PREVIEW_LINK_HOURS", "48"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Security: HTTPS, headers, CSP, error pages (docs/security.md). The production
# defaults are the safe ones; each can be turned down from the environment.
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    # Behind a proxy that terminates TLS: trust its X-Forwarded-Proto (only when
    # every request comes through it and it overwrites what clients send).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS") or (0 if DEBUG else 365 * 24 * 3600))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
# Preview links carry their token in the path: never send it to another site.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    # The readers' policy; newsroom/csp.py adds picture hosts and relaxes it for
    # CKEditor on staff pages only.
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'" if X_FRAME_OPTIONS == "DENY" else "'self'"],
        "report-uri": os.environ.get("NEWSROOM_CSP_REPORT_URI") or None,
    },
}
CSRF_FAILURE_VIEW = "newsroom.views.csrf_failure"
# Serve uploaded media from Django (with safe headers, newsroom/media.py). Off in
# production by default: nginx or the object storage serves them there.
NEWSROOM_SERVE_MEDIA = env_bool("NEWSROOM_SERVE_MEDIA", DEBUG)
# Where to report a vulnerability (an e-mail or https address), published in
# /.well-known/security.txt; unset, that file is a 404.
NEWSROOM_SECURITY_CONTACT = os.environ.get("NEWSROOM_SECURITY_CONTACT", "")
