"""Backups that restore: a site backed up while it runs, restored into an empty
data directory by another process, shows its readers the same bytes (every
public page, feed, sitemap and search result), keeps its pictures and its
sign-off records; a tampered or partial backup, a non-empty target and a
non-empty backup folder are refused with nothing written.

On PostgreSQL (DATABASE_URL=postgres://…) the same round trip goes through
pg_dump and pg_restore, into a scratch database the test creates and drops.
"""

import base64
import json
import os
import shutil
import subprocess
import sys
import uuid
from datetime import date, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from articles import services
from articles.models import Article
from backups import BackupError, databases
from tests import pictures
from tests.backups.crawl import crawl, sign_off_records
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CreditFactory,
    ImageFactory,
    SeriesFactory,
    not_public_states,
)

REPO = Path(__file__).resolve().parents[2]
POSTGRESQL = connection.vendor == "postgresql"
# Words the search results are compared for: titles, a name, a place, and nothing found.
SEARCHES = ["头号工程", "侨乡", "赵可义", "江门", "撤下的稿件", "没有这个词"]


def build_site(staff) -> dict:
    """奋进 with its column 百千万, pictures, bylines and credits, a correction, and an
    article in every state, the sign-offs made through the services."""
    special = SeriesFactory(name="奋进", intro="江门日报特别策划")
    column = SeriesFactory(name="百千万", parent=special)
    CreditFactory(series=special, contributor=ContributorFactory(name="张永源"), role="出品人")
    picture = ImageFactory(size=(1000, 500), alt="侨乡村新貌", credit=ContributorFactory(name="李华"))
    body = (
        f'<figure class="image"><img src="{picture.file.url}" alt="侨乡村">'
        "<figcaption>侨乡村新貌。</figcaption></figure>"
        "<p>江门全力推进“百千万工程”，侨乡处处新貌。</p>"
    )
    lead = ArticleFactory(
        series=column,
        title="以“头号力度”拼出“头号工程”新图景",
        kicker="奋进·百千万",
        summary="江门以“头号力度”推进“百千万工程”。",
        cover=ImageFactory(size=(1200, 800)),
        body=body,
        print_date=date(2026, 11, 28),
        print_page="A05",
        status=Article.Status.DRAFT,
        publish_at=None,
        created_by=staff.reporter,
    )
    BylineFactory(article=lead, contributor=ContributorFactory(name="赵可义"), role="文")
    BylineFactory(article=lead, contributor=ContributorFactory(name="李华"), role="图")
    # 三审, each stage signed by its own person, then a correction.
    services.article_submit(article=lead, by=staff.reporter)
    services.article_transition(article=lead, by=staff.editor, action="pass_first")
    services.article_transition(article=lead, by=staff.desk_head, action="pass_second")
    services.article_publish(article=lead, by=staff.chief)
    services.article_add_correction(
        article=Article.objects.get(pk=lead.pk), by=staff.chief, text="更正：图片说明有误。"
    )

    returned = ArticleFactory(title="退回重写的稿件", draft=True, created_by=staff.reporter)
    services.article_submit(article=returned, by=staff.reporter)
    services.article_return(article=returned, by=staff.editor, comment="导语太长")
    withdrawn = ArticleFactory(title="撤下的稿件", series=special, status=Article.Status.FINAL_REVIEW, publish_at=None)
    services.article_publish(article=withdrawn, by=staff.chief)
    services.article_withdraw(article=Article.objects.get(pk=withdrawn.pk), by=staff.chief, reason="当事人要求更正")
    scheduled = ArticleFactory(title="明天见报的稿件", status=Article.Status.FINAL_REVIEW, publish_at=None)
    services.article_publish(article=scheduled, by=staff.chief, at=timezone.now() + timedelta(days=1))
    hidden = [ArticleFactory(title=f"不公开：{state}", **kwargs) for state, kwargs in not_public_states().items()]
    others = [
        ArticleFactory(series=special, title="奋进开篇", publish_at=timezone.now() - timedelta(hours=3)),
        ArticleFactory(
            series=SeriesFactory(name="侨乡"), title="侨乡新貌", publish_at=timezone.now() - timedelta(days=3)
        ),
    ]
    BylineFactory(article=others[1], contributor=ContributorFactory(name="王芳"), role="记者")
    return {"lead": lead, "hidden": [returned, withdrawn, scheduled, *hidden], "public": [lead, *others]}


def media_files(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.fixture
def scratch_database():
    """On PostgreSQL, an empty database of its own for the restored site (dropped afterwards)."""
    if not POSTGRESQL:
        yield None
        return
    import psycopg

    name = f"newsroom_restore_{uuid.uuid4().hex[:8]}"
    params = connection.get_connection_params()
    admin = {key: params[key] for key in ("host", "port", "user", "password") if params.get(key)}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    s = connection.settings_dict
    auth = f"{s['USER']}:{s['PASSWORD']}@" if s.get("PASSWORD") else f"{s['USER']}@"
    yield f"postgres://{auth}{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(data_dir: Path, database_url: str | None, *args: str) -> subprocess.CompletedProcess:
    """A process of the restored site: its own data directory (and database), its own
    memory cache, pages rendered afresh, the search index built by one process."""
    env = {
        **os.environ,
        "NEWSROOM_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "CACHE_URL": "",
        "NEWSROOM_PAGE_CACHE": "0",
        "SEARCH_URL": "",
        "SEARCH_BUILD_PROCS": "1",
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run([sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def is_empty(data_dir: Path, database_url: str | None) -> bool:
    """No media, and a database without tables (SQLite: the empty file settings create)."""
    if (data_dir / "media").exists():
        return False
    if database_url is None:
        return (data_dir / "newsroom.sqlite3").stat().st_size == 0
    import psycopg

    with psycopg.connect(database_url) as database:
        return database.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_a_restored_site_shows_the_same_bytes(staff, client, media, search_index, tmp_path, scratch_database):
    site = build_site(staff)
    call_command("rebuild_index", verbosity=0)  # as the restore builds it: the same order of ties
    original = crawl(client, SEARCHES)
    # The crawl saw what readers see, and nothing they must not.
    assert original["/"].startswith("200 ") and len(original) > 30
    for article in site["public"]:
        assert original[article.get_absolute_url()].startswith("200 "), article.title
    for article in site["hidden"]:
        assert article.get_absolute_url() not in original, article.title
    assert any(path.startswith("renditions/") for path in media_files(media)), "pages made the pictures' renditions"

    folder = tmp_path / "backup"
    call_command("backup", str(folder), verbosity=0)
    restored_dir = tmp_path / "restored"

    # A tampered copy is refused, and the empty target stays empty.
    tampered = tmp_path / "tampered"
    shutil.copytree(folder, tampered)
    victim = next(path for path in (tampered / "media").rglob("*") if path.is_file())
    victim.write_bytes(victim.read_bytes()[:-1] + b"\x00")
    refused = run(restored_dir, scratch_database, "manage.py", "restore", str(tampered))
    assert refused.returncode == 1
    assert "备份不完整或被改动过" in refused.stderr and "内容与清单的校验和不符" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert is_empty(restored_dir, scratch_database)

    done = run(restored_dir, scratch_database, "manage.py", "restore", str(folder))
    assert done.returncode == 0, done.stderr
    assert "恢复完成" in done.stdout

    out = tmp_path / "restored.json"
    crawled = run(restored_dir, scratch_database, "-m", "tests.backups.crawl", str(out), *SEARCHES)
    assert crawled.returncode == 0, crawled.stderr
    restored = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(restored["pages"]) == sorted(original)
    different = [url for url in original if restored["pages"][url] != original[url]]
    assert not different, _first_difference(different[0], original, restored["pages"])
    assert restored["sign_offs"] == sign_off_records()
    assert len(restored["sign_offs"]) >= 10
    assert media_files(restored_dir / "media") == media_files(media)


def _first_difference(url, original, restored) -> str:
    def text(page):
        head, location, body = page.split("\n", 2)
        return f"{head} {location}\n{base64.b64decode(body).decode(errors='replace')}"

    a, b = text(original[url]), text(restored[url])
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    around = slice(max(0, at - 200), at + 200)
    return f"{url} differs at {at}:\noriginal: {a[around]!r}\nrestored: {b[around]!r}"


# --- what a backup holds ----------------------------------------------------------------


@pytest.fixture
def site_backup(transactional_db, staff, media, tmp_path):
    """A small site (a published article with a picture, through 终审) and its backup."""
    article = ArticleFactory(title="侨乡新貌", cover=ImageFactory(), status=Article.Status.FINAL_REVIEW)
    services.article_publish(article=article, by=staff.chief)
    folder = tmp_path / "backup"
    call_command("backup", str(folder), verbosity=0)
    return folder


@pytest.fixture(scope="module")
def pristine_backup(django_db_setup, django_db_blocker, tmp_path_factory):
    """One backup for the refusals below, made once: the test database as migrated,
    and a picture in the media folder."""
    root = tmp_path_factory.mktemp("pristine")
    picture = root / "media" / "images" / "2026" / "11" / "picture.jpg"
    picture.parent.mkdir(parents=True)
    picture.write_bytes(pictures.jpeg(16, 16))
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(root / "media")):
        call_command("backup", str(root / "backup"), verbosity=0)
    return root / "backup"


@pytest.fixture
def backed_up(pristine_backup, db, tmp_path):
    """A copy of the pristine backup, to tamper with; the site (the test database) is not empty."""
    folder = tmp_path / "backup"
    shutil.copytree(pristine_backup, folder)
    return folder


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_the_manifest_lists_every_file_with_its_size_and_checksum(site_backup, media):
    import hashlib

    import django

    manifest = manifest_of(site_backup)
    on_disk = sorted(
        path.relative_to(site_backup).as_posix()
        for path in site_backup.rglob("*")
        if path.is_file() and path.name != "manifest.json"
    )
    assert [entry["path"] for entry in manifest["files"]] == on_disk
    for entry in manifest["files"]:
        data = (site_backup / entry["path"]).read_bytes()
        assert (entry["size"], entry["sha256"]) == (len(data), hashlib.sha256(data).hexdigest()), entry["path"]
    engine = "postgresql" if POSTGRESQL else "sqlite"
    assert manifest["database"] == {
        "engine": engine,
        "file": databases.FILES[engine],
        "server": manifest["database"]["server"],
    }
    assert {f"media/{name}" for name in media_files(media)} == {p for p in on_disk if p.startswith("media/")}
    assert manifest["media"]["files"] == len(media_files(media)) > 0
    assert manifest["migrations"] == databases.applied_migrations(connection)
    assert "0001_initial" in manifest["migrations"]["articles"]
    assert manifest["versions"]["django"] == django.get_version()
    assert timezone.now() - timedelta(minutes=1) < datetime.fromisoformat(manifest["created_at"]) <= timezone.now()
    # Sessions and password hashes are in it: the operator's eyes only.
    assert site_backup.stat().st_mode & 0o777 == 0o700
    assert all((site_backup / p).stat().st_mode & 0o077 == 0 for p in [*on_disk, "manifest.json"])


def test_backup_refuses_a_folder_that_is_not_empty(db, tmp_path, media):
    folder = tmp_path / "last-night"
    folder.mkdir()
    (folder / "manifest.json").write_text("昨晚的备份")
    with pytest.raises(CommandError, match="不是空的：备份不会覆盖已有的文件"):
        call_command("backup", str(folder), verbosity=0)
    assert [p.name for p in folder.iterdir()] == ["manifest.json"]
    assert (folder / "manifest.json").read_text() == "昨晚的备份"
    with pytest.raises(CommandError, match="不能放在媒体目录"):
        call_command("backup", str(media / "backup"), verbosity=0)


@pytest.mark.parametrize("existing", [False, True], ids=["new folder", "empty folder"])
def test_a_failed_backup_leaves_no_half_written_backup(db, tmp_path, media, monkeypatch, existing):
    """The database is copied, then the disk fills up while the pictures are copied."""
    ImageFactory()
    folder = tmp_path / "tonight"
    if existing:
        folder.mkdir()

    def dump(connection, path):
        path.write_bytes(b"the database")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("backups.databases.dump", dump)
    monkeypatch.setattr("backups.services._copy_stream", full_disk)
    with pytest.raises(CommandError, match="备份失败，已删除写了一半的备份：.*No space left on device"):
        call_command("backup", str(folder), verbosity=0)
    assert (list(folder.iterdir()) == []) if existing else not folder.exists()


# --- what a restore refuses ---------------------------------------------------------------


def _edit_manifest(change):
    def edit(folder: Path):
        manifest = manifest_of(folder)
        change(manifest)
        (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False))

    return edit


def _media(folder: Path) -> Path:
    return next(path for path in sorted((folder / "media").rglob("*")) if path.is_file())


def _database(folder: Path) -> Path:
    return folder / manifest_of(folder)["database"]["file"]


TAMPERING = {
    "a picture changed": (
        lambda f: _media(f).write_bytes(_media(f).read_bytes()[:-1] + b"!"),
        "内容与清单的校验和不符",
    ),
    "a picture missing": (lambda f: _media(f).unlink(), "（缺失）"),
    "the database cut short": (lambda f: _database(f).write_bytes(_database(f).read_bytes()[:-10]), "大小不符"),
    "a file slipped in": (
        lambda f: (f / "media" / "extra.jpg").write_bytes(b"x"),
        "media/extra.jpg（清单里没有这个文件）",
    ),
    "a checksum edited": (
        _edit_manifest(lambda m: m["files"][0].update(sha256="0" * 64)),
        "内容与清单的校验和不符",
    ),
    "an entry removed": (_edit_manifest(lambda m: m["files"].pop()), "清单里没有这个文件"),
    "a path out of the folder": (
        _edit_manifest(lambda m: m["files"].append({"path": "media/../../etc/passwd", "size": 1, "sha256": "0" * 64})),
        "文件路径不安全",
    ),
    "the manifest cut short": (
        lambda f: (f / "manifest.json").write_bytes((f / "manifest.json").read_bytes()[:100]),
        "manifest.json 已损坏",
    ),
    "no manifest": (lambda f: (f / "manifest.json").unlink(), "没有 manifest.json：这不是一份完整的备份"),
    "a newer format": (_edit_manifest(lambda m: m.update(format_version=99)), "格式（第 99 版）比本程序新"),
    "newer code": (
        _edit_manifest(lambda m: m["migrations"]["articles"].append("0999_from_the_future")),
        "本程序没有的迁移（articles.0999_from_the_future）",
    ),
}


@pytest.mark.parametrize("tampering", TAMPERING)
def test_a_tampered_or_partial_backup_is_refused_before_anything_is_written(backed_up, media, tampering):
    """The target here is the (non-empty) site itself: the answer is about the backup,
    so the backup was checked first, and nothing changed."""
    change, message = TAMPERING[tampering]
    change(backed_up)
    ArticleFactory(title="正在使用的网站")
    before = (list(Article.objects.values_list("title", flat=True)), media_files(media))
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(backed_up), verbosity=0)
    assert message in str(refused.value)
    assert (list(Article.objects.values_list("title", flat=True)), media_files(media)) == before


def test_restore_never_overwrites_a_site(backed_up, media):
    ArticleFactory(title="正在使用的网站")
    before = (list(Article.objects.values_list("title", flat=True)), media_files(media))
    for options in ({}, {"dry_run": True}):
        with pytest.raises(CommandError, match=r"目标数据库不是空的（已有 \d+ 张表.*绝不覆盖正在使用的网站"):
            call_command("restore", str(backed_up), verbosity=0, **options)
    assert (list(Article.objects.values_list("title", flat=True)), media_files(media)) == before


@pytest.fixture
def empty_database(monkeypatch):
    """The target's database taken for empty (it is the test database): what else
    the restore checks. Dry runs only, so nothing could be written anyway."""
    monkeypatch.setattr(databases, "tables", lambda connection: [])


def test_restore_refuses_media_that_are_there_already(backed_up, empty_database, media):
    (media / "images").mkdir(parents=True)
    (media / "images" / "live.jpg").write_bytes(b"a picture of the live site")
    with pytest.raises(CommandError, match=r"目标的媒体存储不是空的（已有文件，例如 images/live\.jpg）"):
        call_command("restore", str(backed_up), dry_run=True, verbosity=0)


def test_restore_refuses_a_search_index_with_documents(backed_up, empty_database, media, search_index):
    ArticleFactory(title="正在使用的网站")
    call_command("rebuild_index", verbosity=0)
    with pytest.raises(CommandError, match="目标的搜索索引不是空的（已有 1 篇文章）"):
        call_command("restore", str(backed_up), dry_run=True, verbosity=0)


def test_a_dry_run_checks_everything_and_writes_nothing(backed_up, empty_database, media, search_index):
    out = StringIO()
    call_command("restore", str(backed_up), dry_run=True, stdout=out)
    assert "可以恢复：数据库" in out.getvalue() and "媒体文件 1 个" in out.getvalue()
    assert "没有写入任何东西" in out.getvalue()
    assert media_files(media) == {}


def test_restore_refuses_a_backup_of_another_database_engine(backed_up):
    theirs = "sqlite" if POSTGRESQL else "postgresql"
    _database(backed_up).rename(backed_up / databases.FILES[theirs])

    def other_engine(manifest):
        entry = next(e for e in manifest["files"] if e["path"] == manifest["database"]["file"])
        entry["path"] = manifest["database"]["file"] = databases.FILES[theirs]
        manifest["database"]["engine"] = theirs

    _edit_manifest(other_engine)(backed_up)
    with pytest.raises(CommandError, match="不能跨数据库恢复"):
        call_command("restore", str(backed_up), verbosity=0)


# --- PostgreSQL's tools -----------------------------------------------------------------------


class PostgresConnection:
    """Just enough of a connection for backups.databases to call pg_dump."""

    def __init__(self, **settings_dict):
        self.settings_dict = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {}, **settings_dict}


def test_pg_dump_missing_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match=r"找不到 pg_dump：请在这台机器上安装 PostgreSQL 客户端工具"):
        databases.dump(PostgresConnection(NAME="newsroom"), tmp_path / "database.pgdump")


@pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed here")
def test_pg_dump_failing_says_why(tmp_path):
    unreachable = PostgresConnection(NAME="newsroom", HOST="127.0.0.1", PORT=1, USER="postgres")
    with pytest.raises(BackupError, match=r"pg_dump 失败（退出码 1）：.*127\.0\.0\.1.*port 1"):
        databases.dump(unreachable, tmp_path / "database.pgdump")


@pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL only (DATABASE_URL=postgres://…)")
def test_on_postgresql_the_database_is_a_pg_dump_archive(backed_up):
    archive = backed_up / "database.pgdump"
    assert archive.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    listing = subprocess.run(["pg_restore", "--list", str(archive)], capture_output=True, text=True, check=True)
    assert "TABLE DATA public articles_transition" in listing.stdout
