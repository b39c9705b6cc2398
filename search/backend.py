"""Haystack's Whoosh backend, made fit for Chinese and for several processes.

What changes (measurements in docs/search.md):

- **Analysis.** Every indexed text field is ``ChineseText`` (search/analysis.py):
  any substring of the text is found. Stored-only text fields are ``STORED``.
- **Speed.** Files are read, not memory-mapped (Whoosh 2.7 copies a mapped
  file into memory on every open), and each thread keeps one searcher,
  refreshed only when another process has committed: a query opens nothing.
- **Writes.** Every write takes one lock (``<PATH>.lock``) with a time limit,
  reads what it writes from the database while holding it, and commits
  without merging segments. A write that cannot get the lock in time raises
  ``IndexBusy`` instead of waiting forever or logging and losing a delete.
- **Rebuilds** fill a new directory with two processes and swap it in
  atomically: ``PATH`` is a symbolic link to the current generation, so
  readers never see a half-built index.
- **Ranking** is TF-IDF; the title counts three times (articles/search_indexes.py).
- **Date filters** (``publish_at <= now``) are tested on sorted column values,
  not as Whoosh range queries (thousands of term lookups per segment).
- **Counting** is exact in the same pass that ranks the hits.
"""

import logging
import os
import shutil
import threading
import time
from bisect import bisect_left, bisect_right
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from django.db import connections as db_connections
from haystack.backends import whoosh_backend as stock
from haystack.constants import DJANGO_CT, ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh import fields as whoosh_fields
from whoosh import matching, scoring
from whoosh import query as whoosh_query
from whoosh.collectors import ScoredCollector
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError
from whoosh.qparser import QueryParser
from whoosh.qparser.plugins import PhrasePlugin
from whoosh.searching import ResultsPage
from whoosh.util.filelock import FcntlLock, try_for
from whoosh.util.times import long_to_datetime

from .analysis import ChineseText, grams_fingerprint

log = logging.getLogger(__name__)

# TF-IDF: BM25's per-document length normalisation costs a column read per
# posting; with the title written three times into the text, TF-IDF ranks well
# and queries take two thirds of the time (docs/benchmarks.md).
WEIGHTING = scoring.TF_IDF()
_FINGERPRINT_FILE = "NEWSROOM_FINGERPRINT"


class IndexBusy(Exception):
    """Another process held the index's write lock for longer than we may wait."""


class IndexOutdated(Exception):
    """The index on disk was built for other fields or another bigram list."""


class ChineseWhooshSearchBackend(stock.WhooshSearchBackend):
    def __init__(self, connection_alias, **options):
        super().__init__(connection_alias, **options)
        self.path = str(Path(self.path).absolute())
        self.lock_timeout = float(options.get("LOCK_TIMEOUT", 30))
        self.build_procs = int(options.get("BUILD_PROCS", 2))
        self.build_memory_mb = int(options.get("BUILD_MEMORY_MB", 2048))
        self.generations = Path(f"{self.path}.generations")
        self._local = threading.local()

    # --- layout ---------------------------------------------------------------------

    def setup(self):
        from haystack import connections

        fields = connections[self.connection_alias].get_unified_index().all_searchfields()
        self.content_field_name, self.schema = self.build_schema(fields)
        fields_signature = ",".join(f"{name}:{type(field).__name__}" for name, field in sorted(self.schema.items()))
        self.fingerprint = f"{grams_fingerprint()} {fields_signature}"  # what an index on disk must match
        self.parser = _DateFilteringParser(self.content_field_name, schema=self.schema)
        self.parser.remove_plugin_class(PhrasePlugin)  # quotes are just text
        if not os.path.exists(self.path):
            with self.lock():
                if not os.path.exists(self.path):
                    self._swap_in(self._new_generation())
        self.index = _SharedSearchers(self)
        self.setup_complete = True

    def open_index(self):
        """The current generation, checked to match this code's fields and bigram list."""
        marker = Path(self.path) / _FINGERPRINT_FILE
        if not marker.exists() or marker.read_text() != self.fingerprint:
            raise IndexOutdated("搜索索引与当前的字段或分词表不一致，请运行 python manage.py rebuild_index 重建。")
        storage = FileStorage(self.path, supports_mmap=False)
        try:
            return storage.open_index(schema=self.schema)
        except EmptyIndexError:
            raise IndexOutdated("搜索索引不完整，请运行 python manage.py rebuild_index 重建。") from None

    def _new_generation(self) -> Path:
        self.generations.mkdir(parents=True, exist_ok=True)
        directory = self.generations / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
        directory.mkdir()
        FileStorage(str(directory), supports_mmap=False).create_index(self.schema)
        (directory / _FINGERPRINT_FILE).write_text(self.fingerprint)
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

    # --- schema ------------------------------------------------------------------------

    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        by_name = {field.index_fieldname: field for field in fields.values()}
        adapted = {}
        for name, field in schema.items():
            source = by_name.get(name)
            if isinstance(field, whoosh_fields.TEXT) and source is not None and not source.is_multivalued:
                field = ChineseText(field_boost=source.boost) if source.indexed else whoosh_fields.STORED()
            elif isinstance(field, whoosh_fields.TEXT):
                field.spelling = False
            adapted[name] = field
        return content_field_name, whoosh_fields.Schema(**adapted)

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
            # Merging even a few small segments rewrites every term's postings (seconds
            # at 1,000 articles): saves never merge; ``search_maintain`` and rebuilds do.
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
                writer.delete_by_term(DJANGO_CT, stock.get_model_ct(model))

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
        return len(self.open_index()._segments())

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

    def _from_python(self, value):
        return super()._from_python(_utc_naive(value))

    def _add(self, writer, index, obj, *, update: bool) -> bool:
        try:
            document = index.full_prepare(obj)
        except SkipDocument:
            return False
        document = {key: self._from_python(value) for key, value in document.items() if key != "boost"}
        (writer.update_document if update else writer.add_document)(**document)
        return True

    # --- reading -------------------------------------------------------------------------

    def search(self, query_string, **kwargs):
        kwargs.setdefault("limit_to_registered_models", False)  # one searcher pass, not two
        return super().search(query_string, **kwargs)

    def _process_results(self, raw_page, highlight=False, **kwargs):
        # Highlighting is done on the article text from the database (search/highlight.py).
        return super()._process_results(raw_page, highlight=False, **kwargs)

    def searcher(self):
        """This thread's searcher, reopened only if the index changed."""
        if not self.setup_complete:
            self.setup()
        real = os.path.realpath(self.path)
        cached = getattr(self._local, "searcher", None)
        if cached is None or self._local.real != real:
            if cached is not None:
                cached.close()
            cached, self._local.real = self.open_index().searcher(weighting=WEIGHTING), real
        elif not cached.up_to_date():
            cached = cached.refresh()  # reopens only the segments that changed
        self._local.searcher = cached
        return cached


def merge_small_segments(writer, segments):
    """Whoosh merge policy for maintenance: fold every segment smaller than a
    tenth of the index (or than 1,000 documents) into one; the large ones from
    a rebuild stay, so the cost is that of the small ones only."""
    from whoosh.reading import SegmentReader

    threshold = max(sum(segment.doc_count_all() for segment in segments) / 10, 1000)
    small = [segment for segment in segments if segment.doc_count_all() < threshold]
    if len(small) < 2:
        return segments
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in small]


def _utc_naive(value):
    """Whoosh stores naive datetimes: store (and query) UTC."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


class ChineseWhooshSearchQuery(stock.WhooshSearchQuery):
    def _convert_datetime(self, date):
        return super()._convert_datetime(_utc_naive(date))


class _SharedSearchers:
    """Stands where haystack expects a Whoosh index: ``refresh()`` and
    ``searcher()`` hand out this thread's cached searcher, whose ``close()``
    does nothing."""

    def __init__(self, backend: ChineseWhooshSearchBackend):
        self._backend = backend

    def refresh(self):
        return self

    def doc_count(self):
        return self._backend.searcher().doc_count()

    def searcher(self, **kwargs):
        return _Unclosable(self._backend.searcher())


class _Unclosable:
    """A searcher that counts hits exactly in the same pass that ranks them.

    Whoosh's top-N collector normally skips blocks (``optimize``) and asks
    matchers to drop parts that cannot beat the current tenth-best score
    (``replace``); an AndMaybe then drops documents and the count is short,
    or Whoosh runs the whole query a second time to count. Both are off.
    """

    def __init__(self, searcher):
        self._searcher = searcher

    def close(self):
        pass

    def search(self, q, **kwargs):
        collector = self._searcher.collector(**{**kwargs, "optimize": False})
        inner = collector
        while inner is not None:  # the scoring collector may be wrapped (filter, facets)
            if isinstance(inner, ScoredCollector):
                inner.replace = 0
            inner = getattr(inner, "child", None)
        self._searcher.search_with_collector(q, collector)
        return collector.results()

    def search_page(self, q, pagenum, pagelen=10, **kwargs):
        if pagenum < 1:
            raise ValueError("pagenum must be >= 1")
        return ResultsPage(self.search(q, limit=pagenum * pagelen, **kwargs), pagenum, pagelen)

    def __getattr__(self, name):
        return getattr(self._searcher, name)


class _DateFilteringParser(QueryParser):
    """Parses as usual, then takes date ranges out to test them on columns."""

    def parse(self, text, normalize=True, debug=False):
        return _DateFiltered(*_split_date_ranges(super().parse(text, normalize=normalize, debug=debug), self.schema))


def _split_date_ranges(parsed, schema):
    """Take date-range clauses (``publish_at <= now``) out of a top-level AND.

    Whoosh answers a range on a 64-bit date with thousands of term lookups per
    index segment (90 ms on 42 small segments); the same test on the stored
    column values costs a millisecond. See ``_DateFiltered``.
    """
    clauses = list(parsed.children()) if isinstance(parsed, whoosh_query.And) else [parsed]
    ranges = [
        c
        for c in clauses
        if isinstance(c, whoosh_query.NumericRange) and isinstance(schema[c.fieldname], whoosh_fields.DATETIME)
    ]
    if not ranges:
        return parsed, ()
    rest = [c for c in clauses if c not in ranges]
    remaining = rest[0] if len(rest) == 1 else whoosh_query.And(rest) if rest else whoosh_query.Every()
    return remaining, tuple(ranges)


class _DateFiltered(whoosh_query.WrappingQuery):
    """The query as searched: date ranges are tested on sorted column values,
    and only the (usually no) documents outside them are masked out."""

    def __init__(self, child, date_ranges=()):
        super().__init__(child)
        self.date_ranges = tuple(date_ranges)

    def __repr__(self):
        return f"_DateFiltered({self.child!r}, {self.date_ranges!r})"

    def apply(self, fn):
        return _DateFiltered(fn(self.child), self.date_ranges)

    def matcher(self, searcher, context=None):
        matcher = self.child.matcher(searcher, context)
        excluded = _outside_ranges(searcher.reader(), self.date_ranges)
        return matching.FilterMatcher(matcher, excluded, exclude=True) if excluded else matcher


def _outside_ranges(reader, ranges) -> set[int]:
    """Document numbers of ``reader`` outside any of the date ranges: scheduled
    or expired articles, a handful. Sorted column values are kept per segment
    reader (readers outlive searcher refreshes), so this is a few bisections."""
    cache = reader.__dict__.setdefault("_newsroom_sorted_columns", {})
    outside = set()
    for date_range in ranges:
        if date_range.fieldname not in cache:
            pairs = sorted(
                (value, docnum) for docnum, value in enumerate(reader.column_reader(date_range.fieldname)) if value
            )
            missing = set(range(reader.doc_count_all())) - {docnum for _, docnum in pairs}
            cache[date_range.fieldname] = ([value for value, _ in pairs], [docnum for _, docnum in pairs], missing)
        values, docnums, missing = cache[date_range.fieldname]
        outside |= missing
        if date_range.start is not None:
            low = long_to_datetime(date_range.start)
            cut = (bisect_right if date_range.startexcl else bisect_left)(values, low)
            outside.update(docnums[:cut])
        if date_range.end is not None:
            high = long_to_datetime(date_range.end)
            cut = (bisect_left if date_range.endexcl else bisect_right)(values, high)
            outside.update(docnums[cut:])
    return outside


class ChineseWhooshEngine(stock.WhooshEngine):
    backend = ChineseWhooshSearchBackend
    query = ChineseWhooshSearchQuery
