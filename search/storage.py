"""The Whoosh index on disk: generations, the write lock, writes and rebuilds.

- **Writes.** Every write takes one lock (``<PATH>.lock``) with a time limit,
  reads what it writes from the database while holding it, and commits
  without merging segments. A write that cannot get the lock in time raises
  ``IndexBusy`` instead of waiting forever or logging and losing a delete.
- **Rebuilds** fill a new directory with several processes and swap it in
  atomically: ``PATH`` is a symbolic link to the current generation, so
  readers never see a half-built index.
- Files are read, not memory-mapped (Whoosh 2.7 copies a mapped file into
  memory on every open).

Only whoosh's public API: ``FileStorage``, ``FileIndex.writer()/reader()``,
a custom ``mergetype`` policy, ``whoosh.util.filelock``. ``IndexStorage`` is
a mixin of the haystack backend (search/backend.py), which supplies
``path``, ``schema``, ``fingerprint`` and ``setup()``.
"""

import os
import shutil
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from django.db import connections as db_connections
from django.utils.encoding import force_str
from haystack.constants import DJANGO_CT, ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier, get_model_ct
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError
from whoosh.reading import SegmentReader
from whoosh.util.filelock import FcntlLock, try_for

FINGERPRINT_FILE = "NEWSROOM_FINGERPRINT"


class IndexBusy(Exception):
    """Another process held the index's write lock for longer than we may wait."""


class IndexOutdated(Exception):
    """The index on disk was built for other fields or another bigram list."""


def utc_naive(value):
    """Whoosh stores naive datetimes: store (and query) UTC."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def to_whoosh(value):
    """A prepared index value as Whoosh stores it (what haystack's Whoosh
    backend does, in public code): datetimes naive UTC, dates at midnight,
    booleans "true"/"false", lists comma-joined, numbers as they are,
    anything else as text. tests/search/test_whoosh_api.py compares it with haystack's."""
    if isinstance(value, datetime):
        return utc_naive(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(force_str(v) for v in value)
    if isinstance(value, int | float):
        return value
    return force_str(value)


class IndexStorage:
    """Storage and locking for the haystack backend (a mixin: see the module)."""

    def configure_storage(self, options) -> None:
        self.path = str(Path(self.path).absolute())
        self.lock_timeout = float(options.get("LOCK_TIMEOUT", 30))
        self.build_procs = int(options.get("BUILD_PROCS", 2))
        self.build_memory_mb = int(options.get("BUILD_MEMORY_MB", 2048))
        self.generations = Path(f"{self.path}.generations")

    def ensure_index(self) -> None:
        """Create the first generation if there is none."""
        if not os.path.exists(self.path):
            with self.lock():
                if not os.path.exists(self.path):
                    self._swap_in(self._new_generation())

    def open_index(self):
        """The current generation, checked to match this code's fields and bigram list."""
        marker = Path(self.path) / FINGERPRINT_FILE
        if not marker.exists() or marker.read_text() != self.fingerprint:
            raise IndexOutdated("搜索索引与当前的字段或分词表不一致，请运行 python manage.py rebuild_index 重建。")
        storage = FileStorage(self.path, supports_mmap=False)
        try:
            return storage.open_index(schema=self.schema)
        except EmptyIndexError:
            raise IndexOutdated("搜索索引不完整，请运行 python manage.py rebuild_index 重建。") from None

    def segment_count(self) -> int:
        """How many segments the current generation has (an empty index has none)."""
        with self.open_index().reader() as reader:
            return sum(1 for leaf, _ in reader.leaf_readers() if leaf.doc_count_all())

    def _new_generation(self) -> Path:
        self.generations.mkdir(parents=True, exist_ok=True)
        directory = self.generations / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
        directory.mkdir()
        FileStorage(str(directory), supports_mmap=False).create_index(self.schema)
        (directory / FINGERPRINT_FILE).write_text(self.fingerprint)
        return directory

    def _swap_in(self, directory: Path) -> None:
        """Point PATH at ``directory`` in one atomic rename; keep one older generation."""
        if os.path.isdir(self.path) and not os.path.islink(self.path):
            # An index from before generations: keep it as the previous one.
            os.rename(self.path, self.generations / f"legacy-{time.monotonic_ns()}")
        link = f"{self.path}.new-link"
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(os.path.relpath(directory, Path(self.path).parent), link)  # relative: the data folder may move
        os.replace(link, self.path)
        for old in sorted(self.generations.iterdir(), key=lambda p: p.stat().st_mtime)[:-2]:
            shutil.rmtree(old, ignore_errors=True)

    @contextmanager
    def lock(self, timeout: float | None = None):
        """The one write lock, kept beside the index so it survives generation swaps."""
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        lock = FcntlLock(f"{self.path}.lock")
        wait = self.lock_timeout if timeout is None else timeout
        if not try_for(lock.acquire, timeout=wait, delay=0.05):
            raise IndexBusy(f"搜索索引正被其他进程写入（等了 {wait:.0f} 秒）")
        try:
            yield
        finally:
            lock.release()

    # --- writing -------------------------------------------------------------------------

    @contextmanager
    def writer(self, timeout: float | None = None):
        """A Whoosh writer under the lock; committed without merging, or cancelled."""
        if not self.setup_complete:
            self.setup()
        with self.lock(timeout):
            writer = self.open_index().writer()
            try:
                yield writer
            except BaseException:
                writer.cancel()
                raise
            # Merging even a few small segments rewrites every term's postings: saves
            # never merge; ``search_maintain`` and rebuilds do (docs/benchmarks.md).
            writer.commit(merge=False)

    def sync(self, index, pks, *, timeout: float | None = None) -> None:
        """Make the index agree with the database for these primary keys.

        The rows are read while the lock is held, so whichever process writes
        last writes the newest state: two writers cannot undo each other.
        """
        pks = set(pks)
        with self.writer(timeout) as writer:
            current = {obj.pk: obj for obj in index.index_queryset().filter(pk__in=pks)}
            for pk in pks:
                if pk in current:
                    self._add(writer, index, current[pk], update=True)
                else:
                    writer.delete_by_term(ID, f"{index.get_model()._meta.label_lower}.{pk}")

    def update(self, index, iterable, commit=True):
        objects = list(iterable)
        if objects:
            with self.writer() as writer:
                for obj in objects:
                    self._add(writer, index, obj, update=True)

    def remove(self, obj_or_string, commit=True):
        with self.writer() as writer:
            writer.delete_by_term(ID, get_identifier(obj_or_string))

    def clear(self, models=None, commit=True):
        if not self.setup_complete:
            self.setup()
        if models is None:
            with self.lock():
                self._swap_in(self._new_generation())
            return
        with self.writer() as writer:
            for model in models:
                writer.delete_by_term(DJANGO_CT, get_model_ct(model))

    def delete_index(self):
        self.clear()

    def optimize(self):
        self.merge_segments(optimize=True)

    def merge_segments(self, *, optimize: bool = False) -> int:
        """Merge the small segments that per-save commits leave behind; returns how many remain."""
        if not self.setup_complete:
            self.setup()
        with self.lock():
            writer = self.open_index().writer()
            writer.commit(optimize=optimize, mergetype=None if optimize else merge_small_segments)
        return self.segment_count()

    def rebuild(self, index, queryset, *, progress=None) -> int:
        """Index ``queryset`` into a new generation with several processes, then swap it in.

        Holds the write lock throughout: saves made meanwhile wait, or are
        queued (search/indexing.py) and applied once the new index is live.
        """
        if not self.setup_complete:
            self.setup()
        progress = progress or (lambda *args: None)
        with self.lock():
            directory = self._new_generation()
            storage = FileStorage(str(directory), supports_mmap=False)
            options = {"limitmb": self.build_memory_mb}
            if self.build_procs > 1:
                options.update(procs=self.build_procs, multisegment=True)
                db_connections.close_all()  # the writer forks: no open connection to share
            writer = storage.open_index(schema=self.schema).writer(**options)
            count = 0
            try:
                for obj in queryset.iterator(chunk_size=500):
                    if self._add(writer, index, obj, update=False):
                        count += 1
                        progress("indexed", count)
                progress("committing", count)
                writer.commit()
            except BaseException:
                writer.cancel()
                shutil.rmtree(directory, ignore_errors=True)
                raise
            self._swap_in(directory)
        return count

    def _add(self, writer, index, obj, *, update: bool) -> bool:
        try:
            document = index.full_prepare(obj)
        except SkipDocument:
            return False
        document = {key: to_whoosh(value) for key, value in document.items() if key != "boost"}
        (writer.update_document if update else writer.add_document)(**document)
        return True


def merge_small_segments(writer, segments):
    """Whoosh merge policy for maintenance: fold every segment smaller than a
    tenth of the index (or than 1,000 documents) into one; the large ones from
    a rebuild stay, so the cost is that of the small ones only."""
    threshold = max(sum(segment.doc_count_all() for segment in segments) / 10, 1000)
    small = [segment for segment in segments if segment.doc_count_all() < threshold]
    if len(small) < 2:
        return segments
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in small]
