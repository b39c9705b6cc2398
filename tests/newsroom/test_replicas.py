"""Read replicas, for real: a PostgreSQL streaming replica of the test
database's server is started on this machine (``pg_basebackup`` into a
temporary folder, ``pg_ctl`` on a free port), and the site is served by
gunicorn with ``DATABASE_REPLICA_URLS`` pointing at it, as in production.

What a reader's page is read from shows in what it holds: with the replica's
replay paused, a row written on the primary is not on the replica yet.
Readers' pages come from the replica; an editor's requests, and every read
inside a write, from the primary; after an editor's save readers get the new
text at once (the page cache does not keep a page from a replica that lags);
a replica that stops, or never answers, is skipped with no error.

Runs when the tests run on PostgreSQL and the server's binaries are here
(``.ci/run`` runs them: its PostgreSQL phase, with replication allowed from
127.0.0.1); skipped otherwise, saying why.
"""

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import dj_database_url
import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import RequestFactory
from django.urls import reverse

from articles.models import Article
from newsroom import db_router
from tests.factories import ArticleFactory, SeriesFactory, UserFactory, preview_url
from tests.forms import article_form
from tests.helpers.processes import production
from tests.helpers.replica import Replica, free_port, has_user, postgres_binaries
from tests.helpers.repo import REPO

PASSWORD = "newsroom-pass"  # tests/factories.py
RETRY = 1  # DATABASE_REPLICA_RETRY for the server under test


# --- settings and the middleware's rule: on any database --------------------------------


def test_replica_urls_add_one_alias_each_and_the_router(tmp_path):
    dump = (
        "import json; from django.conf import settings as s;"
        "print(json.dumps([s.DATABASES, getattr(s, 'DATABASE_ROUTERS', [])]))"
    )
    result = production(
        tmp_path,
        "shell",
        "-v",
        "0",
        "-c",
        dump,
        DATABASE_URL="postgres://news@db1.internal/news",
        DATABASE_REPLICA_URLS="postgres://news@db2.internal/news, postgres://news@db3.internal:6432/news",
        DATABASE_REPLICA_CONNECT_TIMEOUT="3",
    )
    assert result.returncode == 0, result.stderr
    databases, routers = json.loads(result.stdout)
    assert list(databases) == ["default", "replica_1", "replica_2"]
    assert (databases["replica_2"]["HOST"], databases["replica_2"]["PORT"]) == ("db3.internal", 6432)
    for alias in ("replica_1", "replica_2"):
        assert databases[alias]["OPTIONS"]["connect_timeout"] == 3
        assert databases[alias]["OPTIONS"]["server_side_binding"] is True  # prepared queries, as on the primary
        assert databases[alias]["CONN_HEALTH_CHECKS"] is True
        assert databases[alias]["TEST"]["MIRROR"] == "default"  # tests never write to a replica
    assert routers == ["newsroom.db_router.ReplicaRouter"]

    refused = production(
        tmp_path,
        "check",
        DATABASE_URL=f"sqlite:///{tmp_path / 'news.sqlite3'}",
        DATABASE_REPLICA_URLS="postgres://news@db2.internal/news",
    )
    assert refused.returncode != 0 and "read replicas need PostgreSQL" in refused.stderr


@pytest.mark.django_db
def test_only_readers_requests_may_read_from_a_replica(settings):
    draft = ArticleFactory(draft=True)
    for url in (reverse("admin:index"), reverse("admin:login"), reverse("ckeditor_upload"), preview_url(draft)):
        assert url.startswith(db_router.EDITORIAL_PATHS), url
    make = RequestFactory()
    assert db_router.is_readers_request(make.get("/series/x/"))
    assert db_router.is_readers_request(make.head("/"))
    assert not db_router.is_readers_request(make.post("/search/"))
    assert not db_router.is_readers_request(make.get("/admin/articles/article/"))
    signed_in = make.get("/")
    signed_in.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"  # staff are the only ones who sign in
    assert not db_router.is_readers_request(signed_in)
    assert db_router.ReplicaRouter().allow_migrate(DEFAULT_DB_ALIAS, "articles") is True
    assert db_router.ReplicaRouter().allow_migrate("replica_1", "articles") is False  # migrations: the primary only


# --- a real replica ---------------------------------------------------------------------


def cannot(reason: str):
    """On PostgreSQL without what a replica needs: skipped, saying why (a
    failure under CI, whose PostgreSQL phase has everything: .ci/run)."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def replica(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        primary = connections[DEFAULT_DB_ALIAS]
        if primary.vendor != "postgresql":
            pytest.skip("PostgreSQL only: read replicas are PostgreSQL streaming replicas (DATABASE_URL is not)")
        major = primary.pg_version // 10000
        settings = dict(primary.settings_dict)
    bindir = postgres_binaries(major)
    if bindir is None:
        cannot(f"no pg_basebackup/pg_ctl for PostgreSQL {major} here (/usr/lib/postgresql/{major}/bin)")
    if os.geteuid() == 0 and not (shutil.which("runuser") and has_user("postgres")):
        cannot("running as root without runuser or a postgres user to run the replica as")
    folder = Path(tempfile.mkdtemp(prefix="newsroom-replica-"))  # not under pytest's 0700 folders
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = Replica(settings, bindir, folder)
    try:
        server.create()
        server.start()
    except RuntimeError as error:
        shutil.rmtree(folder, ignore_errors=True)
        cannot(f"could not start a streaming replica (replication allowed from 127.0.0.1? see .ci/run): {error}")
    yield server
    try:
        server.run(str(bindir / "pg_ctl"), "-D", str(server.data), "-m", "immediate", "-w", "stop")
    except RuntimeError:
        pass  # a test stopped it already
    shutil.rmtree(folder, ignore_errors=True)


# --- the site, served by gunicorn with the replica ------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str


class Browser:
    """A reader's or an editor's browser: keeps cookies, follows no redirect."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body, headers)
            answer = connection.getresponse()
            text = answer.read().decode()
        finally:
            connection.close()
        for cookie in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]
        return Response(answer.status, answer.headers, text)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def submit(self, path: str, data: dict, *, form: str | None = None) -> Response:
        """POST ``data`` to ``path`` with the CSRF token of the form at ``form`` (default: ``path``)."""
        page = self.get(form or path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, page.text[:500]
        return self.request("POST", path, {**data, "csrfmiddlewaretoken": token.group(1)})

    def sign_in(self, user) -> None:
        response = self.submit(
            "/admin/login/?next=/admin/", {"username": user.username, "password": PASSWORD}, form="/admin/login/"
        )
        assert response.status == 302 and response.headers["Location"] == "/admin/", response.text[:500]


class Site:
    """gunicorn (one sync worker) with production settings, the test database
    on the primary, and the replica."""

    def __init__(self, primary: dict, replica: Replica, folder: Path):
        self.port = free_port()
        self.log = folder / "gunicorn.log"
        primary_url = (
            f"postgres://{primary['USER'] or 'postgres'}:{primary['PASSWORD'] or ''}"
            f"@{primary['HOST'] or '127.0.0.1'}:{primary['PORT'] or 5432}/{primary['NAME']}"
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_", "DATABASE_", "CACHE_"))}
        env.update(
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_SECURE_COOKIES="0",
            NEWSROOM_DATA_DIR=str(folder / "data"),
            NEWSROOM_NOTIFY_BY_EMAIL="0",
            DATABASE_URL=primary_url,
            DATABASE_REPLICA_URLS=replica.url,
            DATABASE_REPLICA_RETRY=str(RETRY),
            WEB_CONCURRENCY="1",
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_ACCESS_LOG="",
            GUNICORN_LOG_LEVEL="warning",
        )
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "newsroom.wsgi"], cwd=REPO, env=env, stdout=log, stderr=log
            )
        for _ in range(300):
            try:
                Browser(self.port).get("/robots.txt")
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"gunicorn did not start: {self.log.read_text()}")

    def reader(self) -> Browser:
        return Browser(self.port)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(30)


@pytest.fixture(scope="module")
def site(replica, tmp_path_factory):
    server = Site(replica.primary, replica, tmp_path_factory.mktemp("site"))
    yield server
    server.stop()


@pytest.fixture
def editor(transactional_db, settings):
    # A hasher the server knows (this suite's MD5 is not in its list), and fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.ScryptPasswordHasher"]
    return UserFactory(username="replica-editor", first_name="陈编辑", roles=["编辑"])


def public(**fields) -> Article:
    """A published article, committed on the primary."""
    return ArticleFactory(series=SeriesFactory(name=f"读者专题{secrets.token_hex(3)}"), **fields)


def test_readers_read_from_the_replica_editors_from_the_primary(site, replica, editor):
    desk = site.reader()
    desk.sign_in(editor)
    reader = site.reader()
    with replica.paused():
        article = public(title="主库刚写入的稿件")
        url = article.get_absolute_url()
        assert reader.get(url).status == 404  # not replayed yet: the reader's page came from the replica
        seen_by_editor = desk.get(url)
        assert seen_by_editor.status == 200 and "主库刚写入的稿件" in seen_by_editor.text
    replica.catch_up()
    assert "主库刚写入的稿件" in reader.get(url).text


def test_after_an_editors_save_everyone_gets_it_at_once(site, replica, editor):
    article = public(body="<p>改之前的正文。</p>")
    url = article.get_absolute_url()
    reader = site.reader()
    replica.catch_up()
    assert [reader.get(url).headers["X-Page-Cache"] for _ in range(2)] == ["miss", "hit"]
    desk = site.reader()
    desk.sign_in(editor)
    with replica.paused():
        change = f"/admin/articles/article/{article.pk}/change/"
        saved = desk.submit(change, article_form(article, body="<p>编辑刚改的正文。</p>"))
        assert saved.status == 302, saved.text[:2000]
        assert "编辑刚改的正文。" in desk.get(url).text  # the editor's read: the primary
        # The replica has not replayed the save: the page cache renders this
        # reader's page from the primary rather than keep the old text under
        # the new content version.
        first, second = reader.get(url), reader.get(url)
        assert "编辑刚改的正文。" in first.text and first.headers["X-Page-Cache"] == "miss"
        assert "编辑刚改的正文。" in second.text and second.headers["X-Page-Cache"] == "hit"


def test_a_replica_that_stops_is_skipped_with_no_error_for_the_reader(site, replica, editor):
    article = public(title="副本停了也照常")
    replica.catch_up()
    reader = site.reader()
    assert reader.get(article.get_absolute_url()).status == 200  # the worker now holds a connection to the replica
    replica.stop()
    try:
        for url in (article.get_absolute_url(), article.series.get_absolute_url(), "/", "/feeds/latest/"):
            answer = reader.get(url)
            assert answer.status == 200, (url, answer.text[:1000])
        assert reader.get("/healthz").status == 200  # a balancer keeps this server: it serves
        log = site.log.read_text()
        assert log.count("replica replica_1") == 1, log  # one warning while it is left alone
        assert "Traceback" not in log and "Internal Server Error" not in log, log
    finally:
        replica.start()
    time.sleep(RETRY)
    with replica.paused():  # tried again after DATABASE_REPLICA_RETRY, and read from again
        later = public(title="副本回来之后")
        assert reader.get(later.get_absolute_url()).status == 404


# --- the router itself, in this process ---------------------------------------------------


@pytest.fixture(scope="module")
def replica_here(replica):
    """The replica as ``replica_1`` in this process too, as DATABASE_REPLICA_URLS
    makes it (a module-wide alias: Django's test cases check ``databases`` when
    they start)."""
    entry = dj_database_url.parse(replica.url, conn_health_checks=True)
    entry["OPTIONS"] = {"connect_timeout": 2}
    entry["TEST"] = {"MIRROR": DEFAULT_DB_ALIAS}
    connections.settings["replica_1"] = connections.configure_settings({DEFAULT_DB_ALIAS: {}, "replica_1": entry})[
        "replica_1"
    ]
    yield replica
    connections["replica_1"].close()
    del connections["replica_1"]
    del connections.settings["replica_1"]


@pytest.fixture
def routed(replica_here, settings, monkeypatch):
    settings.DATABASE_ROUTERS = ["newsroom.db_router.ReplicaRouter"]
    monkeypatch.setattr(db_router, "_down_until", {})
    return replica_here


with_the_replica = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, "replica_1"])


def exists(pk) -> bool:
    return Article.objects.filter(pk=pk).exists()


@with_the_replica
def test_reads_inside_a_write_and_after_it_go_to_the_primary(routed):
    with routed.paused():
        article = public()
        assert exists(article.pk)  # outside a request (commands, the shell): the primary
        with db_router.reading():
            assert not exists(article.pk)  # a reader's request: the replica, not replayed yet
            with transaction.atomic():
                assert exists(article.pk)  # inside a write: the primary
            assert not exists(article.pk)
            SeriesFactory(name="请求里写入的专题")
            assert exists(article.pk)  # once the request wrote, the rest of it reads what it wrote
        with db_router.reading(readers=False):
            assert exists(article.pk)  # an editor's request


@with_the_replica
def test_a_replica_that_does_not_answer_in_time_is_skipped(routed, caplog):
    """The replica's server hangs (its postmaster stopped: connections are
    accepted by the system and never answered): skipped after its
    ``connect_timeout``, then left alone without waiting again."""
    article = public()
    routed.catch_up()
    connections["replica_1"].close()
    postmaster = int((routed.data / "postmaster.pid").read_text().split()[0])
    os.kill(postmaster, signal.SIGSTOP)
    try:
        with db_router.reading():
            assert exists(article.pk)  # from the primary, after the timeout
            assert connections["replica_1"].connection is None
        with db_router.reading():
            assert exists(article.pk)  # at once: left alone for DATABASE_REPLICA_RETRY
    finally:
        os.kill(postmaster, signal.SIGCONT)
    warnings = [r.getMessage() for r in caplog.records if r.name == "newsroom.db_router"]
    assert len(warnings) == 1 and "replica_1" in warnings[0] and "timeout" in warnings[0], warnings


@with_the_replica
@pytest.mark.parametrize("page", ["article", "search"])
def test_a_replica_that_fails_in_the_middle_of_a_page_is_left_and_the_page_made_again(
    routed, client, caplog, search_index, page
):
    """The replica's server ends this reader's connection while the page is
    being read (a restart, a failover): the reader still gets the page, made
    again from the primary, and the replica is left alone (one warning)."""
    article = public(title="读到一半副本断了")
    routed.catch_up()
    url = article.get_absolute_url() if page == "article" else "/search/?q=" + quote("副本断了")
    cut = []

    def cut_off(execute, sql, params, many, context):
        if not cut and '"articles_article"' in sql:  # the page's first read of the article
            pid = context["connection"].connection.info.backend_pid
            with routed.connect() as other:
                other.execute("SELECT pg_terminate_backend(%s)", [pid])
                while other.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()[0]:
                    time.sleep(0.01)
            cut.append(sql)
        return execute(sql, params, many, context)

    with connections["replica_1"].execute_wrapper(cut_off):
        response = client.get(url)
    assert cut, "the page never read the article from the replica"
    assert response.status_code == 200
    shown = "<h1" if page == "article" else f'href="{article.get_absolute_url()}"'  # the article, or its hit
    assert shown in response.content.decode() and "读到一半" in response.content.decode()
    warnings = [r.getMessage() for r in caplog.records if r.name == "newsroom.db_router"]
    assert len(warnings) == 1 and "replica_1" in warnings[0], warnings
    assert not [r for r in caplog.records if r.name == "django.request"]  # no 500 logged
