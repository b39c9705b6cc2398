"""``manage.py`` in a fresh process, configured the way production is."""

import json
import os
import secrets
import subprocess
import sys

from .repo import REPO


def production(tmp_path, *args, **env) -> subprocess.CompletedProcess:
    """manage.py in a fresh process with production variables (and no local ones)."""
    local = ("DJANGO_", "NEWSROOM_", "DATABASE_", "CACHE_URL", "SEARCH_URL", "EMAIL_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(local)}
    clean.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="news.example.com",
        NEWSROOM_DATA_DIR=str(tmp_path),
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=clean, capture_output=True, text=True, timeout=120
    )


SETTINGS_DUMP = (
    "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k, None) for k in ["
    "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', 'SECURE_SSL_REDIRECT', "
    "'SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'X_FRAME_OPTIONS', "
    "'SECURE_REFERRER_POLICY', 'SECURE_CROSS_ORIGIN_OPENER_POLICY', 'NEWSROOM_SERVE_MEDIA']}))"
)


def production_settings(tmp_path, **env) -> dict:
    """The security settings a production process ends up with, given these variables."""
    result = production(tmp_path, "shell", "--verbosity", "0", "-c", SETTINGS_DUMP, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
