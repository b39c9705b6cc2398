"""Searching the Whoosh index: one cached searcher per thread, exact counts,
and date filters tested on column values.

- **Speed.** Each thread keeps one searcher, refreshed only when another
  process has committed: a query opens nothing.
- **Counting** is exact in the same pass that ranks the hits
  (``ExactCountSearcher``).
- **Date filters** (``publish_at <= now``) are tested on sorted column values,
  not as Whoosh range queries (thousands of term lookups per segment; figures
  in docs/benchmarks.md).

Only whoosh's public API: ``Searcher.collector()`` and
``search_with_collector()``, ``QueryParser``, ``WrappingQuery``,
``FilterMatcher``, ``IndexReader.column_reader()``, and a field type's
``parse_range()`` (``ExactDateTime``).
"""

from bisect import bisect_left, bisect_right
from datetime import datetime
from weakref import WeakKeyDictionary

from whoosh import fields as whoosh_fields
from whoosh import matching
from whoosh import query as whoosh_query
from whoosh.collectors import ScoredCollector
from whoosh.qparser import QueryParser
from whoosh.searching import ResultsPage
from whoosh.util.times import datetime_to_long, long_to_datetime


class SharedSearchers:
    """Stands where haystack expects a Whoosh index (``refresh()``,
    ``searcher()``, ``doc_count()``): hands out this thread's cached searcher
    (``backend.searcher()``), which haystack's ``close()`` does not close."""

    def __init__(self, backend):
        self._backend = backend

    def refresh(self):
        return self

    def doc_count(self):
        return self._backend.searcher().doc_count()

    def searcher(self, **kwargs):
        return ExactCountSearcher(self._backend.searcher())


class ExactCountSearcher:
    """A searcher that counts hits exactly in the same pass that ranks them.

    Whoosh's top-N collector normally skips blocks (``optimize``) and asks
    matchers to drop parts that cannot beat the current tenth-best score
    (the collector's ``replace`` interval); an AndMaybe then drops documents
    and the count is short, or Whoosh runs the whole query a second time to
    count. Both are off. ``close()`` does nothing: the searcher is shared.
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


class ExactDateTime(whoosh_fields.DATETIME):
    """A DATETIME field as the query parser reads its ranges: to the
    microsecond (``YYYYMMDDhhmmssuuuuuu``, as ``build_query_fragment`` in
    search/backend.py writes them) and with exclusive bounds kept (``{…}``),
    as the database compares. Whoosh's own ``parse_range`` turns
    ``expire_at > now`` into ``expire_at >= the start of now's second``, so
    for the rest of that second an expired article still counted among the
    hits. The index is written with the DATETIME fields haystack builds; only
    the parser's schema has these (``with_exact_dates``), so an index on disk
    stays valid."""

    def parse_range(self, fieldname, start, end, startexcl, endexcl, boost=1.0):
        low, high = _moment(start, last=False), _moment(end, last=True)
        if (start is not None and low is None) or (end is not None and high is None):
            return super().parse_range(fieldname, start, end, startexcl, endexcl, boost=boost)
        if low is None and high is None:
            return whoosh_query.Every(fieldname, boost=boost)
        low, high = (None if at is None else datetime_to_long(at) for at in (low, high))
        return whoosh_query.NumericRange(fieldname, low, high, startexcl, endexcl, boost=boost)


def _moment(text: str | None, *, last: bool) -> datetime | None:
    """``YYYYMMDDhhmmss`` (the whole second: its first or its last microsecond)
    or ``YYYYMMDDhhmmssuuuuuu``; None for anything else."""
    if text is None or not text.isdigit() or len(text) not in (14, 20):
        return None
    try:
        moment = datetime.strptime(text, "%Y%m%d%H%M%S%f" if len(text) == 20 else "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return moment.replace(microsecond=999_999) if last and len(text) == 14 else moment


def with_exact_dates(schema: whoosh_fields.Schema) -> whoosh_fields.Schema:
    """``schema`` with each DATETIME field read as an ``ExactDateTime``."""
    fields = {
        name: ExactDateTime(stored=field.stored, unique=field.unique, sortable=field.column_type is not None)
        if type(field) is whoosh_fields.DATETIME
        else field
        for name, field in schema.items()
    }
    return whoosh_fields.Schema(**fields)


class DateFilteringParser(QueryParser):
    """Parses as usual (dates as ``ExactDateTime``), then takes date ranges
    out to test them on columns."""

    def __init__(self, fieldname, schema):
        super().__init__(fieldname, schema=with_exact_dates(schema))

    def parse(self, text, normalize=True, debug=False):
        return DateFiltered(*split_date_ranges(super().parse(text, normalize=normalize, debug=debug), self.schema))


def split_date_ranges(parsed, schema):
    """Take date-range clauses (``publish_at <= now``) out of a top-level AND.

    Whoosh answers a range on a 64-bit date with thousands of term lookups per
    index segment; the same test on the stored column values is a few
    bisections. See ``DateFiltered``.
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


class DateFiltered(whoosh_query.WrappingQuery):
    """The query as searched: date ranges are tested on sorted column values,
    and only the (usually no) documents outside them are masked out."""

    def __init__(self, child, date_ranges=()):
        super().__init__(child)
        self.date_ranges = tuple(date_ranges)

    def __repr__(self):
        return f"DateFiltered({self.child!r}, {self.date_ranges!r})"

    def apply(self, fn):
        return DateFiltered(fn(self.child), self.date_ranges)

    def matcher(self, searcher, context=None):
        matcher = self.child.matcher(searcher, context)
        excluded = outside_ranges(searcher.reader(), self.date_ranges)
        return matching.FilterMatcher(matcher, excluded, exclude=True) if excluded else matcher


# Sorted column values per segment reader: readers outlive searcher refreshes,
# and the entry goes when the reader does.
_sorted_columns: WeakKeyDictionary = WeakKeyDictionary()


def _sorted_column(reader, fieldname):
    """(sorted values, their document numbers, documents without a value) of a column."""
    columns = _sorted_columns.setdefault(reader, {})
    if fieldname not in columns:
        pairs = sorted((value, docnum) for docnum, value in enumerate(reader.column_reader(fieldname)) if value)
        missing = set(range(reader.doc_count_all())) - {docnum for _, docnum in pairs}
        columns[fieldname] = ([value for value, _ in pairs], [docnum for _, docnum in pairs], missing)
    return columns[fieldname]


def outside_ranges(reader, ranges) -> set[int]:
    """Document numbers of ``reader`` outside any of the date ranges: scheduled
    or expired articles, a handful."""
    outside = set()
    for date_range in ranges:
        values, docnums, missing = _sorted_column(reader, date_range.fieldname)
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
