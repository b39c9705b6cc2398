"""Production settings beyond the security headers (tests/newsroom/test_deploy.py):
DJANGO_SECURE_SSL=1 leaves check --deploy nothing to say, the data directory and
the SQLite file are private, connections are reused, static files are served by
gunicorn itself (whitenoise) with hashed names cached for long."""

import json
import os
import stat

import pytest
from django.test import Client

from articles.models import Article
from tests.helpers.processes import production, production_settings


def test_secure_ssl_passes_check_deploy_with_no_warnings(tmp_path):
    result = production(tmp_path, "check", "--deploy", DJANGO_SECURE_SSL="1")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_secure_ssl_means_https_behind_a_tls_proxy(tmp_path):
    values = production_settings(tmp_path, DJANGO_SECURE_SSL="1")
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True and values["SESSION_COOKIE_SECURE"] is True
    # Each part can still be turned down on its own.
    values = production_settings(tmp_path, DJANGO_SECURE_SSL="1", DJANGO_SECURE_HSTS_PRELOAD="0")
    assert values["SECURE_HSTS_PRELOAD"] is False and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True


def test_the_data_directory_and_the_database_are_private(tmp_path):
    data = tmp_path / "data"
    result = production(data, "migrate", "--no-input", "-v", "0")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "newsroom.sqlite3").stat().st_mode) == 0o600
    # A database left world-readable by an older version is tightened at start.
    (data / "newsroom.sqlite3").chmod(0o644)
    data.chmod(0o755)
    assert production(data, "check").returncode == 0
    assert stat.S_IMODE((data / "newsroom.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700


DATABASE_DUMP = "import json; from django.conf import settings as s; print(json.dumps(s.DATABASES['default']))"


def database_settings(tmp_path, **env) -> dict:
    result = production(tmp_path, "shell", "--verbosity", "0", "-c", DATABASE_DUMP, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_connections_are_reused_in_production(tmp_path):
    default = database_settings(tmp_path)
    assert default["CONN_MAX_AGE"] == 60 and default["CONN_HEALTH_CHECKS"] is True
    assert database_settings(tmp_path, DATABASE_CONN_MAX_AGE="5")["CONN_MAX_AGE"] == 5
    if "DATABASE_CONN_MAX_AGE" not in os.environ:
        from django.conf import settings

        assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0  # DJANGO_DEBUG=1 (runserver, tests): as before


def test_the_postgresql_pool_replaces_persistent_connections(tmp_path):
    pooled = database_settings(tmp_path, DATABASE_URL="postgres://news:pw@db.example.com/news", DATABASE_POOL_SIZE="8")
    assert pooled["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 8, "timeout": 10.0}
    assert pooled["CONN_MAX_AGE"] == 0  # Django refuses the two together
    # SQLite ignores the pool setting.
    assert "pool" not in database_settings(tmp_path, DATABASE_POOL_SIZE="8").get("OPTIONS", {})


def test_postgresql_plans_each_query_once_per_connection_unless_turned_off(tmp_path):
    url = "postgres://news:pw@db.example.com/news"
    prepared = database_settings(tmp_path, DATABASE_URL=url)["OPTIONS"]
    assert prepared["server_side_binding"] is True and prepared["prepare_threshold"] == 2
    assert prepared["options"] == "-c plan_cache_mode=force_generic_plan"  # and kept so
    plain = database_settings(tmp_path, DATABASE_URL=url, DATABASE_PREPARED="0").get("OPTIONS", {})
    assert "server_side_binding" not in plain and "prepare_threshold" not in plain and "options" not in plain
    # Startup options given in the URL are kept.
    mine = database_settings(tmp_path, DATABASE_URL=f"{url}?options=-c%20statement_timeout%3D5000")["OPTIONS"]
    assert mine["options"] == "-c statement_timeout=5000 -c plan_cache_mode=force_generic_plan"
    assert "server_side_binding" not in database_settings(tmp_path).get("OPTIONS", {})  # SQLite: nothing to prepare


def test_prepared_queries_answer_on_postgresql(db):
    """The whole suite runs with them on PostgreSQL (.ci/run); here, that a
    query run twice on the connection is prepared by the server."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    connection.ensure_connection()
    for _ in range(3):
        list(Article.objects.filter(slug="no-such-article"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] >= 1
        # Planned once: the generic plan is kept, never a plan made again for the values.
        cursor.execute("SELECT sum(generic_plans), sum(custom_plans) FROM pg_prepared_statements")
        generic, custom = cursor.fetchone()
        assert generic >= 1 and custom == 0


@pytest.fixture
def production_static(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "newsroom.staticfiles.StaticStorage"}}
    return settings.STATIC_ROOT


def test_before_collectstatic_pages_render_and_static_files_are_served(db, production_static):
    from django.templatetags.static import static

    assert static("articles/site.css").endswith("/articles/site.css")  # no manifest: no error either
    response = Client().get(static("articles/site.css"))
    assert response.status_code == 200
    assert Client().get("/").status_code == 200


def test_after_collectstatic_hashed_names_are_cached_for_long(db, production_static):
    from django.templatetags.static import static

    # What collectstatic writes, for one file.
    hashed = "articles/site.0123456789ab.css"
    (production_static / "articles").mkdir()
    (production_static / hashed).write_text("body{}")
    (production_static / "staticfiles.json").write_text(
        json.dumps({"paths": {"articles/site.css": hashed}, "version": "1.1", "hash": "x"})
    )
    assert static("articles/site.css") == f"/static/{hashed}"
    response = Client().get(f"/static/{hashed}")
    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"] and "immutable" in response["Cache-Control"]
    # The page links the hashed name and keeps its Content-Security-Policy.
    page = Client().get("/")
    assert hashed in page.content.decode() and "default-src 'self'" in page["Content-Security-Policy"]


def test_static_responses_are_not_left_to_the_page_cache(db, production_static):
    response = Client().get("/static/articles/site.css")
    assert response.status_code == 200 and "X-Page-Cache" not in response


def test_gunicorn_config(monkeypatch):
    import runpy

    from tests.helpers.repo import REPO

    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_BIND", "unix:/run/newsroom.sock")
    config = runpy.run_path(str(REPO / "gunicorn.conf.py"))
    assert config["workers"] == 3 and config["bind"] == "unix:/run/newsroom.sock"
    assert config["accesslog"] == "-" and config["timeout"] > 0
    monkeypatch.delenv("WEB_CONCURRENCY")
    assert runpy.run_path(str(REPO / "gunicorn.conf.py"))["workers"] == os.cpu_count() * 2 + 1


def test_every_environment_variable_is_in_the_operations_guide():
    import re

    from tests.helpers.repo import REPO

    source = (REPO / "newsroom" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'(?:env_(?:bool|list)\(|environ\.get\()"([A-Z_]+)"', source))
    assert {"DJANGO_SECURE_SSL", "DATABASE_CONN_MAX_AGE", "NEWSROOM_PROXY_COUNT"} <= names  # the reading works
    guide = (REPO / "docs" / "operations.md").read_text(encoding="utf-8")
    assert sorted(name for name in names if f"`{name}`" not in guide) == []
