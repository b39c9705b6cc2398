"""Newsroom settings, read from the environment.

Local defaults just work (SQLite and everything else under ``./var/``);
production sets ``DJANGO_DEBUG=0`` and must then provide ``DJANGO_SECRET_KEY``
and ``DJANGO_ALLOWED_HOSTS`` or the process refuses to start.
"""

import json
import os
import secrets
from datetime import timedelta
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
# The database (sessions, password hashes), the secret key and the index live
# here: readable by this service's user only.
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
if DATA_DIR.stat().st_uid == os.geteuid():
    DATA_DIR.chmod(0o700)

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
    "newsroom.apps.AxesConfig",  # django-axes: login throttling (newsroom/login_throttle.py)
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
    "proofing",
    "backups",  # manage.py backup / restore (docs/operations.md)
    "haystack",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from gunicorn, before anything that reads a session.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsroom.csp.ContentSecurityPolicyMiddleware",
    # A NUL byte anywhere in the request: a Chinese 400 before any view or query (newsroom/middleware.py).
    "newsroom.middleware.BadInputMiddleware",
    # With read replicas: marks a reader's request before anything reads (newsroom/db_router.py).
    "newsroom.db_router.ReadReplicaMiddleware",
    # Anonymous readers' pages, whole (pagecache/middleware.py): a hit skips everything below.
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the Chinese 429 page.
    "axes.middleware.AxesMiddleware",
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

# Connections are kept between requests in production (DATABASE_CONN_MAX_AGE
# seconds, checked before reuse): one per gunicorn worker instead of one per
# request. DATABASE_POOL_SIZE=N uses psycopg's pool instead on PostgreSQL (for
# threaded workers); it replaces persistent connections (docs/operations.md).
DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE") or 0)
DATABASE_CONN_MAX_AGE = int(os.environ.get("DATABASE_CONN_MAX_AGE") or (0 if DEBUG else 60))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'newsroom.sqlite3'}",
        conn_max_age=DATABASE_CONN_MAX_AGE,
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
# On PostgreSQL, queries are sent with their parameters apart (server-side
# binding) and a query run twice on a connection is prepared: PostgreSQL plans
# it once, not on every page (docs/operations.md, "Database connections"). It
# keeps that one plan (plan_cache_mode=force_generic_plan): left to itself it
# plans a prepared query afresh on every run whenever its estimates favour
# plans made for the values, and for the article page's statements that cost
# ten times running them. Restart the app servers after `migrate`, as every
# upgrade does: a prepared query outlives no schema change.
# DATABASE_PREPARED=0 turns it off (e.g. behind PgBouncer < 1.21 in
# transaction mode; PgBouncer refuses startup options: docs/operations.md).
DATABASE_PREPARED = env_bool("DATABASE_PREPARED", True)


def _prepared(options: dict) -> dict:
    """psycopg's ``options`` for a PostgreSQL database, prepared as above
    (startup ``options`` from the URL kept)."""
    if not DATABASE_PREPARED:
        return options
    startup = " ".join(filter(None, [options.get("options", ""), "-c plan_cache_mode=force_generic_plan"]))
    return {**options, "server_side_binding": True, "prepare_threshold": 2, "options": startup}


if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = _prepared(DATABASES["default"].get("OPTIONS", {}))
if DATABASE_POOL_SIZE and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_SIZE,
        # Seconds a request waits for a free connection before failing.
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT") or 10),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a concurrent writer instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Created (or tightened) 0600 before SQLite opens it: its journal and WAL
    # files take the same mode.
    _sqlite_file = str(DATABASES["default"]["NAME"])
    if _sqlite_file and _sqlite_file != ":memory:" and not _sqlite_file.startswith("file:"):
        os.close(os.open(_sqlite_file, os.O_CREAT | os.O_RDWR, 0o600))
        os.chmod(_sqlite_file, 0o600)

# PostgreSQL streaming replicas for readers' pages: DATABASE_REPLICA_URLS=postgres://…,postgres://…
# (newsroom/db_router.py, docs/operations.md). Editors, writes and migrations use
# the primary; a replica that does not connect within its timeout (seconds; libpq
# counts at least 2) is left alone for DATABASE_REPLICA_RETRY seconds.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS", [])
DATABASE_REPLICA_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_REPLICA_CONNECT_TIMEOUT") or 2)
DATABASE_REPLICA_RETRY = float(os.environ.get("DATABASE_REPLICA_RETRY") or 10)
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    _replica = dj_database_url.parse(_url, conn_max_age=DATABASE_CONN_MAX_AGE, conn_health_checks=True)
    if "postgresql" not in DATABASES["default"]["ENGINE"] or "postgresql" not in _replica["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS: read replicas need PostgreSQL, for them and DATABASE_URL.")
    _replica["OPTIONS"] = _prepared(_replica.get("OPTIONS", {})) | {"connect_timeout": DATABASE_REPLICA_CONNECT_TIMEOUT}
    # Tests never create a database on a replica (it is read-only): it stands for the primary.
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica_{_number}"] = _replica
if DATABASE_REPLICA_URLS:
    DATABASE_ROUTERS = ["newsroom.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Local memory by default; CACHE_URL=redis://127.0.0.1:6379/1 shares the caches
# (and the content version) between processes and hosts (docs/caching.md).
# With Redis, an operation waits at most CACHE_REDIS_TIMEOUT seconds, and Redis is
# left alone for CACHE_REDIS_RETRY seconds after a failure (newsroom/cache.py).
CACHES = cache_settings(
    os.environ.get("CACHE_URL", ""),
    timeout=float(os.environ.get("CACHE_REDIS_TIMEOUT") or 1),
    retry_after=float(os.environ.get("CACHE_REDIS_RETRY") or 5),
)
# Sessions with Redis: read from it, written through to the database, so editors
# stay signed in while Redis is down (docs/operations.md, Redis).
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Whole pages for anonymous readers, never stale (pagecache/): on in production,
# off by default in development, where templates change under a running server.
NEWSROOM_PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", not DEBUG)
# Where the content version is kept when pages are cached in local memory.
NEWSROOM_PAGE_CACHE_STAMP = DATA_DIR / "page-cache-version"
# What the running code is (e.g. a commit id): empty, a digest of the code is used.
NEWSROOM_RELEASE = os.environ.get("NEWSROOM_RELEASE", "")

# django-axes first: it refuses a locked-out user or address before any password
# is checked (docs/operations.md, 登录限制).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): after NEWSROOM_LOGIN_FAILURE_LIMIT failed
# logins for one user name, or from one address, both are refused for
# NEWSROOM_LOGIN_COOLOFF_MINUTES with a Chinese page and status 429; an editor
# unlocks earlier by deleting the attempts in the admin (访问尝试).
AXES_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_FAILURE_LIMIT") or 5)
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("NEWSROOM_LOGIN_COOLOFF_MINUTES") or 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.login_throttle.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Failed attempts only: no row per successful login.
AXES_DISABLE_ACCESS_LOG = True
# The client's address is the connection's, unless NEWSROOM_PROXY_COUNT says how
# many proxies in front of this process (nginx alone: 1) append to
# X-Forwarded-For: the address is then the one the outermost of them appended,
# read from the right, where no client can forge it (docs/operations.md).
NEWSROOM_PROXY_COUNT = int(os.environ.get("NEWSROOM_PROXY_COUNT") or 0)
AXES_CLIENT_IP_CALLABLE = "newsroom.login_throttle.client_address"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# The newsroom's own translations of what Django's zh_Hans catalog lacks or gets
# wrong (English left in the admin, ASCII periods): docs/workflow.md, 姓名与中文界面.
# newsroom/locale: django-axes in Chinese (it ships no zh_Hans catalog).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "newsroom" / "locale"]
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
    # Production: hashed, compressed names once collectstatic has run (newsroom/staticfiles.py).
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "newsroom.staticfiles.StaticStorage"
    },
}
# whitenoise serves STATIC_ROOT (after collectstatic: a year's cache for hashed
# names) and, for what was not collected yet, the apps' own folders.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(mode=0o755, exist_ok=True)
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
    NEWSROOM_DATA_DIR. ``whoosh:///path/to/index``: Whoosh elsewhere.
    ``solr://host:8983/solr/newsroom`` (``solr+https://user:password@…``): a
    Solr 9 collection, standalone or SolrCloud (see docs/search.md)."""
    from urllib.parse import unquote, urlsplit

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
    if parts.scheme in ("solr", "solr+https"):
        try:
            port = parts.port or 8983
        except ValueError:
            port = None
        if not parts.hostname or port is None:
            raise ImproperlyConfigured(
                "SEARCH_URL: a Solr address needs a host (and a numeric port), e.g. solr://solr.internal:8983/solr/newsroom"
            )
        scheme = "https" if parts.scheme.endswith("https") else "http"
        path = parts.path.rstrip("/") or "/solr/newsroom"
        connection = {
            "ENGINE": "search.solr.ChineseSolrEngine",
            "URL": f"{scheme}://{parts.hostname}:{port}{path}",
            # Failures reach search/indexing.py, which queues the change instead of losing it.
            "SILENTLY_FAIL": False,
        }
        if parts.username:  # sent as HTTP basic auth, kept out of the URL (pysolr logs URLs)
            connection["KWARGS"] = {"auth": (unquote(parts.username), unquote(parts.password or ""))}
        return {"default": connection}
    scheme = f"{parts.scheme}://" if parts.scheme else "no scheme"
    if parts.scheme.startswith("elasticsearch"):
        raise ImproperlyConfigured(
            "SEARCH_URL: Elasticsearch 7 is no longer supported (end of support); use solr:// (docs/search.md)"
        )
    raise ImproperlyConfigured(f"SEARCH_URL must start with whoosh://, solr:// or solr+https://, not {scheme}")


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
# 三审分离 (docs/workflow.md): three different people sign an article's three
# stages, none of them its author, superusers included. Off only for a desk
# too small to staff three stages.
NEWSROOM_REVIEW_SEPARATION = env_bool("NEWSROOM_REVIEW_SEPARATION", True)

# E-mail on 三审 steps (articles/notifications.py, docs/workflow.md): to the
# author on 退回, to the next stage's reviewers on each pass. Printed to the
# console unless EMAIL_BACKEND says otherwise (smtp: EMAIL_HOST and the rest).
NEWSROOM_NOTIFY_BY_EMAIL = env_bool("NEWSROOM_NOTIFY_BY_EMAIL", True)
# The address editors open the admin at, for the links in those mails.
NEWSROOM_ADMIN_BASE_URL = os.environ.get("NEWSROOM_ADMIN_BASE_URL") or "http://127.0.0.1:8000"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = int(os.environ.get("EMAIL_PORT") or 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Seconds before a silent mail server is given up on (the step is never held up longer).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT") or 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "newsroom@localhost"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Security: HTTPS, headers, CSP, error pages (docs/security.md). The production
# defaults are the safe ones; each can be turned down from the environment.
# DJANGO_SECURE_SSL=1 says "this site is HTTPS only, behind a proxy that
# terminates TLS" (docs/operations.md): it turns on the proxy header and HSTS for
# subdomains and preloading, so check --deploy has nothing left to say. Each
# setting below can still be turned down on its own.
SECURE_SSL = env_bool("DJANGO_SECURE_SSL", False)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG or SECURE_SSL)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG or SECURE_SSL)
# A health check from the proxy or a monitor may come over plain HTTP on loopback.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", SECURE_SSL):
    # Behind a proxy that terminates TLS: trust its X-Forwarded-Proto (only when
    # every request comes through it and it overwrites what clients send).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS") or (0 if DEBUG and not SECURE_SSL else 365 * 24 * 3600)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_SSL)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", SECURE_SSL)
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
