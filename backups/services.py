"""Backups that restore (docs/operations.md, "Backups and restore").

A backup is a folder:

    manifest.json          what is in it, written last (no manifest: not a backup)
    database.sqlite3       SQLite: a consistent copy (backups/databases.py)
    database.pgdump        or PostgreSQL: pg_dump's custom format
    media/…                every file of the media storage (uploads and renditions)

``backup`` writes one into a new or empty folder (never over an older
backup: a failed run would leave neither). The database is copied first, as
one consistent moment; then the media, read through Django's storage API, so
a local folder and object storage (django-storages) are backed up alike.
Uploads get new names and are never deleted or rewritten, so every file the
copied database names is there (files uploaded during the backup may be
there too, unused). The manifest lists each file with its size and SHA-256,
the versions of the code, the database engine and the migrations applied.

``restore`` checks the whole backup against its manifest before it writes
anything, and only restores into an empty database and an empty media
storage: it never overwrites a site. Then it loads the database, applies
the migrations this code has that the backup lacks, writes the media, and
rebuilds the search index (which is not in the backup: it is made from the
database).
"""

import hashlib
import json
import os
import platform
import posixpath
import re
import shutil
import time
import tomllib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from . import BackupError, databases

FORMAT = "newsroom-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
CHUNK = 1024 * 1024
SHA256 = re.compile(r"^[0-9a-f]{64}$")
# How many problems a refused backup lists before "and N more".
SHOWN_PROBLEMS = 10

Log = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


# --- backup ---------------------------------------------------------------------------


def backup(folder: Path, *, log: Log = _quiet, using: str = "default") -> dict:
    """Write a backup of the site into ``folder`` (created 0700; refused unless new
    or empty). Returns the manifest."""
    folder = Path(folder)
    connection = connections[using]
    kind = databases.engine(connection)
    storage = default_storage
    _refuse_folder_inside_media(folder, storage)
    created = _empty_folder(folder)
    try:
        migrations = databases.applied_migrations(connection)
        database_file = folder / databases.FILES[kind]
        log(f"复制数据库（{databases.NAMES[kind]}）……")
        databases.dump(connection, database_file)
        _fsync(database_file)
        if databases.applied_migrations(connection) != migrations:
            raise BackupError("备份期间数据库结构变了（有人在执行 migrate）：请等迁移完成后重新备份。")
        files = [_describe(folder, database_file)]
        log("复制媒体文件……")
        media = _copy_media_out(storage, folder / MEDIA, log)
        files += media
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "versions": _versions(),
            "database": {"engine": kind, "file": databases.FILES[kind], "server": _server_version(connection)},
            "migrations": migrations,
            "media": {
                "storage": f"{storage.__class__.__module__}.{storage.__class__.__qualname__}",
                "files": len(media),
                "bytes": sum(entry["size"] for entry in media),
            },
            "files": sorted(files, key=lambda entry: entry["path"]),
        }
        _write_manifest(folder, manifest)
    except OSError as error:
        _remove_contents(folder, created)
        raise BackupError(f"备份失败，已删除写了一半的备份：{error}。") from error
    except BaseException:
        _remove_contents(folder, created)
        raise
    return manifest


def _empty_folder(folder: Path) -> bool:
    """Make sure ``folder`` exists, is empty and private; whether it was created."""
    if folder.exists() or folder.is_symlink():
        if not folder.is_dir():
            raise BackupError(f"{folder} 已经存在，而且不是目录。")
        if any(folder.iterdir()):
            raise BackupError(
                f"目录 {folder} 不是空的：备份不会覆盖已有的文件。"
                f"请换一个新目录（例如按日期命名：newsroom-{timezone.localdate():%Y-%m-%d}）。"
            )
        folder.chmod(0o700)
        return False
    try:
        folder.mkdir(mode=0o700, parents=True)
    except OSError as error:
        raise BackupError(f"不能创建目录 {folder}：{error.strerror}。") from error
    return True


def _refuse_folder_inside_media(folder: Path, storage) -> None:
    if isinstance(storage, FileSystemStorage):
        media_root = Path(storage.location).resolve()
        if folder.resolve().is_relative_to(media_root):
            raise BackupError(f"备份目录不能放在媒体目录（{media_root}）里面：备份会把自己也复制进去。")


def _copy_media_out(storage, target: Path, log: Log) -> list[dict]:
    files = []
    for name in storage_files(storage):
        destination = target.joinpath(*PurePosixPath(name).parts)
        destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            source = storage.open(name, "rb")
        except FileNotFoundError:
            continue  # gone since it was listed: nothing in the copied database names it
        with source:
            size, digest = _copy_stream(source, destination)
        files.append({"path": destination.relative_to(target.parent).as_posix(), "size": size, "sha256": digest})
        if len(files) % 1000 == 0:
            log(f"  已复制 {len(files)} 个媒体文件")
    return files


def storage_files(storage, folder: str = ""):
    """Every file name in ``storage`` (a Django storage), folder by folder, sorted."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local media folder not made yet: no files
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for name in sorted(folders):
        yield from storage_files(storage, posixpath.join(folder, name) if folder else name)


def _versions() -> dict:
    from pagecache.middleware import release

    with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as file:
        project = tomllib.load(file)["project"]["version"]
    return {
        "newsroom": project,
        "release": release(),
        "django": django.get_version(),
        "python": platform.python_version(),
    }


def _server_version(connection) -> str:
    with connection.cursor() as cursor:
        if databases.engine(connection) == databases.SQLITE:
            cursor.execute("SELECT sqlite_version()")
        else:
            cursor.execute("SHOW server_version")
        return str(cursor.fetchone()[0])


def _write_manifest(folder: Path, manifest: dict) -> None:
    """Written last, atomically: a folder with a manifest is a whole backup."""
    partial = folder / f"{MANIFEST}.partial"
    descriptor = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(manifest, file, ensure_ascii=False, indent=2)
        file.write("\n")
        file.flush()
        os.fsync(file.fileno())
    os.replace(partial, folder / MANIFEST)
    _fsync(folder)


def _remove_contents(folder: Path, created: bool) -> None:
    """Undo a failed backup: the folder was new or empty."""
    if created:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


# --- verify ---------------------------------------------------------------------------


def verify(folder: Path, *, log: Log = _quiet) -> dict:
    """The backup's manifest, once every file in ``folder`` is checked against it
    (present, the same size, the same SHA-256, nothing unlisted); else BackupError."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BackupError(f"找不到备份目录 {folder}。")
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} 里没有 {MANIFEST}：这不是一份完整的备份（备份没有做完，或者目录不对）。")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{MANIFEST} 已损坏，无法读取（{error}）：不能用这份备份恢复。") from None
    _check_manifest(manifest)
    log(f"校验备份：{len(manifest['files'])} 个文件……")
    problems = []
    for entry in manifest["files"]:
        file = folder.joinpath(*PurePosixPath(entry["path"]).parts)
        if file.is_symlink() or not file.is_file():
            problems.append(f"{entry['path']}（缺失）")
        elif file.stat().st_size != entry["size"]:
            actual = file.stat().st_size
            problems.append(f"{entry['path']}（大小不符：清单上是 {entry['size']} 字节，实际 {actual} 字节）")
        elif _sha256(file) != entry["sha256"]:
            problems.append(f"{entry['path']}（内容与清单的校验和不符）")
    listed = {entry["path"] for entry in manifest["files"]} | {MANIFEST}
    for file in sorted(folder.rglob("*")):
        name = file.relative_to(folder).as_posix()
        if (file.is_file() or file.is_symlink()) and name not in listed:
            problems.append(f"{name}（清单里没有这个文件）")
    if problems:
        shown = "；".join(problems[:SHOWN_PROBLEMS])
        more = f"；另有 {len(problems) - SHOWN_PROBLEMS} 处" if len(problems) > SHOWN_PROBLEMS else ""
        raise BackupError(f"备份不完整或被改动过，不能恢复（没有写入任何东西）：{shown}{more}。")
    return manifest


def _check_manifest(manifest) -> None:
    """The manifest's shape, before any of it is trusted (paths stay inside the folder)."""

    def refuse(reason: str):
        raise BackupError(f"{MANIFEST} 不是有效的备份清单（{reason}）：不能用这份备份恢复。")

    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        refuse("不是 Newsroom 的备份")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        refuse("没有格式版本")
    if version > FORMAT_VERSION:
        raise BackupError(f"这份备份的格式（第 {version} 版）比本程序新：请先升级程序，再恢复。")
    database = manifest.get("database")
    if not isinstance(database, dict) or database.get("engine") not in databases.FILES:
        refuse("没有写明数据库")
    if database.get("file") != databases.FILES[database["engine"]]:
        refuse("数据库文件名不对")
    migrations = manifest.get("migrations")
    if not isinstance(migrations, dict) or not all(
        isinstance(app, str) and isinstance(names, list) and all(isinstance(name, str) for name in names)
        for app, names in migrations.items()
    ):
        refuse("迁移记录格式不对")
    files = manifest.get("files")
    if not isinstance(files, list):
        refuse("没有文件清单")
    seen = set()
    for entry in files:
        if not isinstance(entry, dict):
            refuse("文件清单格式不对")
        name, size, digest = entry.get("path"), entry.get("size"), entry.get("sha256")
        if not isinstance(name, str) or not _is_safe_path(name):
            refuse(f"文件路径不安全：{name!r}")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            refuse(f"{name} 的大小不对")
        if not isinstance(digest, str) or not SHA256.match(digest):
            refuse(f"{name} 的校验和不对")
        if name in seen:
            refuse(f"{name} 列了两次")
        seen.add(name)
    if database["file"] not in seen:
        refuse("清单里没有数据库文件")


def _is_safe_path(name: str) -> bool:
    path = PurePosixPath(name)
    if not name or "\\" in name or "\x00" in name or path.is_absolute() or name != path.as_posix():
        return False
    if any(part in ("", ".", "..") for part in path.parts):
        return False
    if path.parts[0] == MEDIA:
        return len(path.parts) > 1
    return name in databases.FILES.values()


# --- restore --------------------------------------------------------------------------


def restore(
    folder: Path, *, dry_run: bool = False, log: Log = _quiet, verbosity: int = 1, using: str = "default"
) -> dict:
    """Bring the backup in ``folder`` into this site's empty database and empty media
    storage, then rebuild the search index. Everything is checked before anything is
    written; ``dry_run`` stops there. Returns the manifest."""
    folder = Path(folder)
    manifest = verify(folder, log=log)
    connection = connections[using]
    kind = databases.engine(connection)
    theirs = manifest["database"]["engine"]
    if theirs != kind:
        raise BackupError(
            f"这份备份的数据库是 {databases.NAMES[theirs]}，这里配置的是 {databases.NAMES[kind]}："
            f"不能跨数据库恢复（请检查 DATABASE_URL）。"
        )
    unknown = _unknown_migrations(manifest["migrations"])
    if unknown:
        raise BackupError(
            f"这份备份来自更新的程序版本：数据库里有本程序没有的迁移（{'、'.join(unknown[:5])}）。"
            f"请先把程序升级到备份时的版本（{MANIFEST} 的 versions）再恢复。"
        )
    existing = databases.tables(connection)
    if existing:
        raise BackupError(
            f"目标数据库不是空的（已有 {len(existing)} 张表，例如 {existing[0]}）："
            f"restore 只恢复到空数据库，绝不覆盖正在使用的网站。"
            f"请换一个空的 NEWSROOM_DATA_DIR，或新建一个空数据库（DATABASE_URL）后重试。"
        )
    storage = default_storage
    present = next(storage_files(storage), None)
    if present is not None:
        raise BackupError(
            f"目标的媒体存储不是空的（已有文件，例如 {present}）："
            f"restore 只恢复到空的数据目录，绝不覆盖正在使用的网站。请换一个空的 NEWSROOM_DATA_DIR 或空的存储后重试。"
        )
    indexed = _indexed_documents()
    if indexed != 0:
        raise BackupError(
            f"目标的搜索索引不是空的（{'有' if indexed is None else f'已有 {indexed} 篇'}文章）："
            f"恢复最后要重建它，会替换掉别的网站的索引。请为恢复的网站用空的 NEWSROOM_DATA_DIR，"
            f"或另一个索引（SEARCH_URL）。"
        )
    media = [entry for entry in manifest["files"] if entry["path"].startswith(f"{MEDIA}/")]
    database_size = next(entry["size"] for entry in manifest["files"] if entry["path"] == manifest["database"]["file"])
    summary = (
        f"数据库（{databases.NAMES[kind]}，{_size(database_size)}），"
        f"媒体文件 {len(media)} 个（{_size(sum(entry['size'] for entry in media))}），"
        f"备份于 {manifest['created_at']}"
    )
    if dry_run:
        log(f"可以恢复：{summary}。这次只做了检查，没有写入任何东西。")
        return manifest

    started = time.monotonic()
    try:
        log(f"恢复数据库（{databases.NAMES[kind]}）……")
        databases.load(connection, folder / manifest["database"]["file"])
        pending = MigrationExecutor(connection).migration_plan(MigrationLoader(connection).graph.leaf_nodes())
        if pending:
            log(f"备份来自较早的版本：执行 {len(pending)} 个迁移……")
            call_command("migrate", interactive=False, verbosity=0)
        log(f"恢复媒体文件（{len(media)} 个）……")
        _copy_media_in(folder, media, storage, log)
    except (BackupError, OSError) as error:
        reason = str(error) if isinstance(error, BackupError) else f"写入失败：{error}。"
        raise BackupError(f"{reason}恢复没有完成，目标已写入了一部分：请清空目标后重试。") from error
    log("重建搜索索引……")
    call_command("rebuild_index", interactive=False, verbosity=verbosity, stdout=_LogWriter(log))
    _pages_changed()
    log(f"恢复完成：{summary}；用时 {time.monotonic() - started:.1f} 秒。")
    return manifest


def _indexed_documents() -> int | None:
    """How many documents the search index holds: 0 when there is no index yet,
    ``None`` for an index of another version of the code (present, not counted)."""
    from haystack import connections as search_connections
    from haystack.query import SearchQuerySet

    from search.backend import IndexOutdated

    backend = search_connections["default"].get_backend()
    path = getattr(backend, "path", None)  # the embedded Whoosh index: a folder
    if path is not None and not os.path.exists(path):
        return 0
    try:
        if hasattr(backend, "searcher"):
            return backend.searcher().doc_count()
        return SearchQuerySet(using="default").count()
    except IndexOutdated:
        return None
    except Exception as error:
        raise BackupError(f"搜索索引无法访问（{error}）：恢复的最后一步要重建它，请先让它能访问。") from error


def _unknown_migrations(applied: dict[str, list[str]]) -> list[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    known |= {replaced for migration in loader.disk_migrations.values() for replaced in migration.replaces}
    return [f"{app}.{name}" for app, names in sorted(applied.items()) for name in names if (app, name) not in known]


def _copy_media_in(folder: Path, media: list[dict], storage, log: Log) -> None:
    for number, entry in enumerate(media, start=1):
        name = entry["path"].removeprefix(f"{MEDIA}/")
        with open(folder.joinpath(*PurePosixPath(entry["path"]).parts), "rb") as source:
            saved = storage.save(name, File(source, name=posixpath.basename(name)))
        if saved != name:
            raise BackupError(f"媒体文件 {name} 被存储改名为 {saved}（存储里已有同名文件？）。")
        if number % 1000 == 0:
            log(f"  已恢复 {number}/{len(media)} 个媒体文件")


def _pages_changed() -> None:
    """A restored site's pages are new content: cached pages (a shared cache) are not served."""
    from pagecache import version

    version.changed()


class _LogWriter:
    """A file for call_command's output that hands each line to ``log``."""

    def __init__(self, log: Log):
        self.log = log

    def write(self, text: str) -> None:
        for line in text.splitlines():
            if line.strip():
                self.log(line)

    def flush(self) -> None:
        pass


# --- files ----------------------------------------------------------------------------


def _copy_stream(source, destination: Path) -> tuple[int, str]:
    """Copy ``source`` (a file open for reading) to a new private file: its size and SHA-256."""
    digest, size = hashlib.sha256(), 0
    descriptor = os.open(destination, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        while chunk := source.read(CHUNK):
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    return size, digest.hexdigest()


def _describe(root: Path, file: Path) -> dict:
    return {"path": file.relative_to(root).as_posix(), "size": file.stat().st_size, "sha256": _sha256(file)}


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with open(file, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _size(count: int) -> str:
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / 1024 / 1024:.1f} MB"
