"""gunicorn's settings for Newsroom (docs/operations.md): ``gunicorn newsroom.wsgi``
from the repository root reads this file. Every value can be changed from the
environment; gunicorn's own command-line flags still win."""

import multiprocessing
import os

# Behind nginx (or another TLS proxy) on the same machine: loopback only.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: (2 × CPUs) + 1 is gunicorn's advice for a mix of database and CPU work.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
# A request running longer than this is killed (and logged); search and the
# sitemap finish far sooner, a rebuild of the index is a command, not a request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT") or 30)
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE") or 5)
# Restart each worker now and then (with jitter, not all at once) against slow leaks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 2000)
max_requests_jitter = max_requests // 10
# Logs to stdout/stderr: systemd's journal (or the container runtime) keeps them.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Trust X-Forwarded-* only from the proxy on this machine.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
