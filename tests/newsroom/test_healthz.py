"""/healthz (for a monitor): 200 when the database, the caches and the search
index answer, 503 naming the one that does not; /readyz (for a load
balancer): 503 only when the database does not answer. Never cached."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_all_answer(client, search_index):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failing": [],
        "checks": {"database": "ok", "cache": "ok", "search": "ok"},
    }
    assert "no-store" in response["Cache-Control"]


def test_a_failing_cache_is_named(client, settings, search_index):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "tests.helpers.caches.BrokenCache"},
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]
    assert "cache down" not in response.content.decode()  # details go to the log only


def test_a_cache_that_keeps_nothing_is_logged_in_one_line(client, settings, search_index, caplog):
    """What Redis looks like through newsroom/cache.py while it is down (every
    read a miss, every write dropped): its cause is logged there, so the
    check adds one line, not a traceback twice a second."""
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert client.get("/healthz").status_code == 503
    [record] = [r for r in caplog.records if r.name == "newsroom.health"]
    assert "cache" in record.getMessage() and record.exc_info is None


@pytest.fixture
def broken_index(tmp_path):
    """The index's folder holds something that is not an index."""
    from haystack import connections

    folder = tmp_path / "not-an-index"
    folder.mkdir()
    (folder / "_MAIN_1.toc").write_bytes(b"\0garbage")
    info = connections.connections_info["default"]
    previous = info["PATH"]
    info["PATH"] = str(folder)
    connections.reload("default")
    yield
    info["PATH"] = previous
    connections.reload("default")


def test_an_unreadable_search_index_is_named(client, broken_index):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["search"]


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])  # without the database nothing is served
def test_a_failing_database_is_named(client, search_index, monkeypatch, path):
    def refuse(*args, **kwargs):
        raise ConnectionError("database down")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get(path)
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]


def test_healthz_is_never_served_from_the_page_cache(client, settings, search_index):
    assert client.get("/healthz").status_code == 200
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "tests.helpers.caches.BrokenCache"}}
    second = client.get("/healthz")
    assert second.status_code == 503
    assert second.get("X-Page-Cache", "").lower() != "hit"


def test_healthz_is_not_redirected_to_https(client, settings, search_index):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


# --- /readyz: for a load balancer --------------------------------------------------------


def test_readyz_stays_200_when_only_a_shared_cache_or_the_index_fails(client, settings, broken_index):
    """Every app server shares Redis and the index, and pages are served
    without them: a balancer asking /readyz keeps the servers in, and the body
    still names what failed."""
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "tests.helpers.caches.BrokenCache"}}
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["failing"] == ["cache", "search"]
    assert client.get("/healthz").status_code == 503  # the monitor's check names them with a 503
    assert "no-store" in response["Cache-Control"]


def test_readyz_is_not_redirected_to_https(client, settings, search_index):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/readyz").status_code == 200
