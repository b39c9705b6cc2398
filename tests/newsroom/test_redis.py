"""Redis for the caches and the sessions (``CACHE_URL=redis://…``), and Redis
down: readers still get their pages, editors still sign in and save, nothing
raises, one warning is logged, and once Redis is back no page from before a
save made during the outage is served."""

import logging
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client

from newsroom import cache as resilient
from newsroom.cache import CacheUnavailable
from pagecache import version
from pagecache.conf import cache_settings
from pagecache.middleware import HEADER
from tests.factories import ArticleFactory
from tests.forms import article_form
from tests.helpers.processes import production

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/13"  # a database of its own, flushed by these tests
CACHED_DB = "django.contrib.sessions.backends.cached_db"
PASSWORD = "newsroom-pass"  # tests/factories.py


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_or_skip(host="127.0.0.1", port=6379):
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError as error:
        if os.environ.get("CI"):
            raise  # .ci/run starts Redis
        pytest.skip(f"Redis is not running here ({error})")


@pytest.fixture(autouse=True)
def _fresh_state(monkeypatch):
    """Each test starts with no Redis server left alone and no outage noted
    (both are per process), and leaves none behind."""
    monkeypatch.setattr(resilient, "_down_until", {})
    monkeypatch.setattr(version, "_outage", False)


def use_redis(settings, url, **options):
    settings.SESSION_ENGINE = CACHED_DB
    settings.CACHES = cache_settings(url, **options)


def sign_in(client, user):
    response = client.post("/admin/login/?next=/admin/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/admin/", response.content.decode()[:500]


def save_body(client, article, body):
    response = client.post(f"/admin/articles/article/{article.pk}/change/", article_form(article, body=body))
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.body == body


def test_redis_url_puts_the_caches_and_the_sessions_in_redis(tmp_path):
    dump = (
        "import json; from django.conf import settings as s;"
        "print(json.dumps([s.SESSION_ENGINE, s.CACHES['default']['BACKEND'], s.CACHES['pages']['OPTIONS']]))"
    )
    result = production(tmp_path, "shell", "-v", "0", "-c", dump, CACHE_URL="redis://cache.internal:6379/1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '["django.contrib.sessions.backends.cached_db", "newsroom.cache.ResilientRedisCache", '
        '{"socket_connect_timeout": 1.0, "socket_timeout": 1.0, "retry_after": 5.0}]'
    )


def test_with_redis_pages_are_cached_and_sessions_kept_in_redis_and_the_database(settings, client, staff):
    redis_or_skip()
    use_redis(settings, REDIS_URL)
    caches["default"].clear()  # the whole Redis database 13: both caches
    version.refresh()
    article = ArticleFactory(title="侨乡新貌")
    url = article.get_absolute_url()
    assert [client.get(url)[HEADER] for _ in range(2)] == ["miss", "hit"]

    editor = Client()
    sign_in(editor, staff.editor)
    key = editor.cookies[settings.SESSION_COOKIE_NAME].value
    assert caches["default"].get(f"django.contrib.sessions.cached_db{key}")["_auth_user_id"] == str(staff.editor.pk)
    assert Session.objects.filter(session_key=key).exists()  # written through: Redis may go
    assert editor.get("/admin/").status_code == 200


def test_with_redis_down_readers_and_editors_carry_on(settings, client, staff, caplog):
    """``CACHE_URL`` points at a port nothing listens on."""
    use_redis(settings, f"redis://127.0.0.1:{free_port()}/0")
    article = ArticleFactory(title="侨乡新貌")
    for url in ("/", article.get_absolute_url(), article.series.get_absolute_url(), "/feeds/latest/"):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, url
            assert HEADER not in response  # rendered, never served from a cache that cannot be read

    editor = Client()
    sign_in(editor, staff.editor)
    assert editor.get("/admin/").status_code == 200
    save_body(editor, article, "<p>Redis 停了，照样保存。</p>")
    assert "Redis 停了，照样保存。" in client.get(article.get_absolute_url()).content.decode()

    assert caches["default"].get("anything", "missing") == "missing"  # a miss, not an error
    with pytest.raises(CacheUnavailable):
        caches["pages"].strict.get("anything")  # what the content version reads with
    warnings = [r for r in caplog.records if r.name == "newsroom.cache" and r.levelno == logging.WARNING]
    assert len(warnings) == 1, warnings  # once while Redis is left alone, not once per request
    assert "did not answer" in warnings[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.fixture
def own_redis(tmp_path):
    """A Redis server of this test's own, which it can stop (SIGSTOP: it hangs,
    as behind a broken network) and let go on, with its data, as after a blip."""
    redis_or_skip()  # the shared one: Redis is installed here
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed here")
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.02)
    yield server, f"redis://127.0.0.1:{port}/0"
    server.send_signal(signal.SIGCONT)
    server.terminate()
    server.wait(10)


def test_after_an_outage_no_page_from_before_a_save_is_served(settings, client, staff, own_redis, caplog):
    server, url = own_redis
    use_redis(settings, url, timeout=0.2, retry_after=0.3)
    article = ArticleFactory(title="侨乡新貌", body="<p>停之前的正文。</p>")
    editor = Client()
    sign_in(editor, staff.editor)
    assert [client.get(article.get_absolute_url())[HEADER] for _ in range(2)] == ["miss", "hit"]

    server.send_signal(signal.SIGSTOP)  # Redis hangs: every operation times out
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200 and HEADER not in response
    assert editor.get("/admin/").status_code == 200  # still signed in: the session is in the database too
    save_body(editor, article, "<p>停的时候改的正文。</p>")  # the new content version cannot be stored

    server.send_signal(signal.SIGCONT)  # back, still holding the old version and the old page
    time.sleep(0.35)  # retry_after
    response = client.get(article.get_absolute_url())
    assert "停的时候改的正文。" in response.content.decode()
    assert response[HEADER] == "miss"
    assert client.get(article.get_absolute_url())[HEADER] == "hit"  # and the cache works again
    assert any(r.name == "newsroom.cache" and "TimeoutError" in r.getMessage() for r in caplog.records)
