"""The database part of a backup, per engine.

SQLite: SQLite's online backup API (``sqlite3.Connection.backup``), in one
step: it copies the database as one consistent snapshot while the site keeps
running (readers go on; a writer waits for the copy, as for any long read,
up to the 20 seconds of ``OPTIONS["timeout"]``). Restored the same way, into
the (empty) database file of the settings.

PostgreSQL: ``pg_dump`` in its custom format (one consistent snapshot: it
dumps inside a single repeatable-read transaction), restored with
``pg_restore`` into an empty database in one transaction. Both connect with
the settings' ``DATABASES["default"]`` (host, port, user, password and SSL
options passed through libpq's environment, never on the command line); the
client tools must be installed on the machine that runs the command, of the
server's major version or newer.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db.backends.postgresql.client import DatabaseClient as PostgresClient
from django.db.migrations.recorder import MigrationRecorder

from . import BackupError

SQLITE, POSTGRESQL = "sqlite", "postgresql"
ENGINES = {"django.db.backends.sqlite3": SQLITE, "django.db.backends.postgresql": POSTGRESQL}
NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}
# The database's file in a backup folder.
FILES = {SQLITE: "database.sqlite3", POSTGRESQL: "database.pgdump"}
# How long pg_dump/pg_restore may run before the command gives up.
CLIENT_TIMEOUT = 6 * 3600


def engine(connection) -> str:
    """``sqlite`` or ``postgresql``; another engine is refused."""
    name = ENGINES.get(connection.settings_dict["ENGINE"])
    if name is None:
        raise BackupError(f"不支持这种数据库：{connection.settings_dict['ENGINE']}（只支持 SQLite 和 PostgreSQL）。")
    return name


def applied_migrations(connection) -> dict[str, list[str]]:
    """``{app: [migration, …]}``: what the database's schema is."""
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def tables(connection) -> list[str]:
    """The tables in the database (an empty list: a database to restore into)."""
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def dump(connection, path: Path) -> None:
    """Write a consistent copy of the database to ``path`` (a new file, mode 0600)."""
    if engine(connection) == SQLITE:
        if connection.in_atomic_block:
            # The copy would wait for this very transaction to end, for ever.
            raise BackupError("不能在数据库事务里备份 SQLite：请在事务之外运行。")
        _new_private_file(path)
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            # One step (pages=-1): the whole database under one read lock, so the copy is
            # one moment of it. Through the site's own connection, so an in-memory database
            # (tests) is copied too.
            connection.connection.backup(target)
        except sqlite3.Error as error:
            raise BackupError(f"复制 SQLite 数据库失败：{error}") from error
        finally:
            target.close()
    else:
        _new_private_file(path)
        _run("pg_dump", connection.settings_dict, ["--format=custom", "--no-password", f"--file={path}"], name=True)


def load(connection, path: Path) -> None:
    """Restore the database from ``path`` into the (empty) database of ``connection``."""
    if engine(connection) == SQLITE:
        connection.ensure_connection()
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        except sqlite3.Error as error:
            raise BackupError(f"恢复 SQLite 数据库失败：{error}") from error
        finally:
            source.close()
    else:
        connection.close()  # pg_restore works through its own connection
        _run(
            "pg_restore",
            connection.settings_dict,
            ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--no-password", str(path)],
            name=False,
        )


def _run(tool: str, settings_dict: dict, arguments: list[str], *, name: bool) -> None:
    """Run ``pg_dump`` or ``pg_restore`` against the database of ``settings_dict``."""
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(
            f"找不到 {tool}：请在这台机器上安装 PostgreSQL 客户端工具（与数据库服务器同一大版本或更新，"
            f"Debian/Ubuntu：apt install postgresql-client），再重试。"
        )
    _, libpq_env = PostgresClient.settings_to_cmd_args_env(settings_dict, [])
    options = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            options.append(f"{flag}={settings_dict[key]}")
    database = settings_dict.get("NAME") or f"service={settings_dict['OPTIONS'].get('service', '')}"
    if name:  # pg_dump: the database is its argument
        command = [executable, *options, *arguments, f"--dbname={database}"]
    else:  # pg_restore: the archive is its argument
        command = [executable, *options, f"--dbname={database}", *arguments]
    try:
        result = subprocess.run(
            command,
            env={**os.environ, **(libpq_env or {})},
            capture_output=True,
            text=True,
            timeout=CLIENT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BackupError(f"{tool} 没能运行完：{error}") from error
    if result.returncode != 0:
        message = result.stderr.strip() or result.stdout.strip() or "（没有输出）"
        raise BackupError(f"{tool} 失败（退出码 {result.returncode}）：{message[-2000:]}")


def _new_private_file(path: Path) -> None:
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
