"""A PostgreSQL streaming replica of a running server, started on this
machine: ``pg_basebackup`` into a folder and ``pg_ctl`` on a free port. Used by
tests/newsroom/test_replicas.py and bench/load.py."""

import os
import pwd
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Replica:
    """A streaming replica of the primary's whole server, in ``folder``."""

    def __init__(self, primary: dict, bindir: Path, folder: Path):
        self.primary, self.bindir, self.folder = primary, bindir, folder
        self.data = folder / "data"
        self.port = free_port()
        self.url = f"postgres://{primary['USER'] or 'postgres'}@127.0.0.1:{self.port}/{primary['NAME']}"

    def run(self, *command: str) -> None:
        # PostgreSQL refuses to run as root: its own user runs it then.
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        result = subprocess.run([*as_postgres, *command], capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            log = (self.folder / "log").read_text() if (self.folder / "log").exists() else ""
            raise RuntimeError(f"{' '.join(command)}: {result.stderr or result.stdout}\n{log[-2000:]}")

    def create(self) -> None:
        primary = self.primary
        self.run(
            str(self.bindir / "pg_basebackup"),
            *("-h", primary["HOST"] or "127.0.0.1", "-p", str(primary["PORT"] or 5432)),
            *("-U", primary["USER"] or "postgres", "-D", str(self.data)),
            *("-R", "-X", "stream", "-c", "fast", "--no-sync", "--no-manifest"),
        )
        # Debian keeps the server's configuration out of its data folder: the
        # replica gets its own, with what a standby must match on the primary.
        with self.connect(primary=True) as connection:
            matched = dict(
                connection.execute(
                    "SELECT name, setting FROM pg_settings WHERE name IN ('max_connections', "
                    "'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', "
                    "'max_locks_per_transaction')"
                ).fetchall()
            )
        conf = [f"port = {self.port}", "listen_addresses = '127.0.0.1'", f"unix_socket_directories = '{self.folder}'"]
        conf += ["hot_standby = on", "fsync = off", *(f"{name} = {value}" for name, value in matched.items())]
        (self.data / "postgresql.conf").write_text("\n".join(conf) + "\n")
        (self.data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
        (self.data / "pg_ident.conf").write_text("")
        if os.geteuid() == 0:
            for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
                shutil.chown(self.data / name, "postgres", "postgres")

    def start(self) -> None:
        self.run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"), "-w", "start")

    def stop(self) -> None:
        self.run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def connect(self, *, primary=False):
        settings = self.primary
        host, port = ("127.0.0.1", self.port)
        if primary:
            host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
        return psycopg.connect(
            host=host,
            port=port,
            dbname=settings["NAME"],
            user=settings["USER"] or "postgres",
            password=settings["PASSWORD"] or None,
            autocommit=True,
        )

    def catch_up(self) -> None:
        """Wait until the replica has replayed everything committed on the primary."""
        with self.connect(primary=True) as primary:
            target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        with self.connect() as replica:
            for _ in range(500):
                if replica.execute("SELECT pg_last_wal_replay_lsn() >= %s", [target]).fetchone()[0]:
                    return
                time.sleep(0.01)
        raise AssertionError("the replica did not catch up in 5 s")

    @contextmanager
    def paused(self):
        """Replay paused: what is committed on the primary in the block is not on the replica."""
        self.catch_up()
        with self.connect() as replica:
            replica.execute("SELECT pg_wal_replay_pause()")
            while replica.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0] != "paused":
                time.sleep(0.01)
            try:
                yield
            finally:
                replica.execute("SELECT pg_wal_replay_resume()")


def postgres_binaries(major: int) -> Path | None:
    for folder in (Path(f"/usr/lib/postgresql/{major}/bin"), Path(f"/usr/pgsql-{major}/bin")):
        if (folder / "pg_basebackup").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
