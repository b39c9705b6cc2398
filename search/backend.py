"""haystack's Whoosh backend, made fit for Chinese and for several processes:
the adapter that plugs search/storage.py and search/querying.py into haystack.

Only haystack's documented extension points: an engine naming a
``SearchBackend`` and a ``SearchQuery`` subclass, overriding public methods
(``setup``, ``build_schema``, ``update``/``remove``/``clear`` via the storage
mixin, ``search``, ``build_query_fragment``). ``setup()`` is replaced, not
extended (haystack's would create a plain index at PATH);
tests/search/test_whoosh_api.py fails by name if haystack's own ``setup()``
starts setting an attribute this one does not. Versions are pinned in
requirements.txt.

- **Analysis.** Every indexed text field is ``ChineseText`` (search/analysis.py):
  any substring of the text is found. Stored-only text fields are ``STORED``.
- **Ranking** is TF-IDF; the title counts three times (articles/search_indexes.py).
- Storage, locking and rebuilds: search/storage.py. Searchers, exact counts
  and date filters: search/querying.py. Which haystack settings are honoured:
  search/checks.py.
"""

import os
import threading
from datetime import datetime

from haystack import connections
from haystack.backends import whoosh_backend as stock
from whoosh import fields as whoosh_fields
from whoosh import scoring
from whoosh.qparser.plugins import PhrasePlugin

from .analysis import ChineseText, grams_fingerprint
from .querying import DateFilteringParser, SharedSearchers
from .storage import IndexBusy, IndexOutdated, IndexStorage, merge_small_segments, utc_naive

__all__ = [
    "ChineseWhooshEngine",
    "ChineseWhooshSearchBackend",
    "ChineseWhooshSearchQuery",
    "IndexBusy",
    "IndexOutdated",
    "merge_small_segments",
]

# TF-IDF, not BM25: with the title written three times into the text it ranks
# well, and queries are faster (docs/benchmarks.md).
WEIGHTING = scoring.TF_IDF()


class ChineseWhooshSearchBackend(IndexStorage, stock.WhooshSearchBackend):
    def __init__(self, connection_alias, **options):
        super().__init__(connection_alias, **options)
        self.configure_storage(options)
        self._local = threading.local()

    def setup(self):
        from haystack import connections

        fields = connections[self.connection_alias].get_unified_index().all_searchfields()
        self.content_field_name, self.schema = self.build_schema(fields)
        fields_signature = ",".join(f"{name}:{type(field).__name__}" for name, field in sorted(self.schema.items()))
        self.fingerprint = f"{grams_fingerprint()} {fields_signature}"  # what an index on disk must match
        self.parser = DateFilteringParser(self.content_field_name, schema=self.schema)
        self.parser.remove_plugin_class(PhrasePlugin)  # quotes are just text
        self.ensure_index()
        self.storage = None  # each generation is opened afresh (search/storage.py)
        self.index = SharedSearchers(self)
        self.setup_complete = True

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

    def search(self, query_string, **kwargs):
        # Highlighting is done on the article text from the database (search/highlight.py).
        return super().search(query_string, **{**kwargs, "highlight": False})

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


# Whoosh's query syntax for a range; dates to the microsecond, which the
# parser's ExactDateTime fields read (search/querying.py).
_DATE_RANGES = {"gt": "{{{} to}}", "gte": "[{} to]", "lt": "{{to {}}}", "lte": "[to {}]"}


class ChineseWhooshSearchQuery(stock.WhooshSearchQuery):
    def build_query_fragment(self, field, filter_type, value):
        """Dates are compared in UTC, as they are stored (search/storage.py),
        and to the microsecond, as the database compares them. haystack writes
        whole seconds: for the rest of the second in which an article expired
        or goes live, the index would count it among the hits."""
        if filter_type in _DATE_RANGES and isinstance(value, datetime):
            bound = utc_naive(value).strftime("%Y%m%d%H%M%S%f")
            fieldname = connections[self.backend.connection_alias].get_unified_index().get_index_fieldname(field)
            return f"{fieldname}:({_DATE_RANGES[filter_type].format(bound)})"
        if isinstance(value, list | tuple | set):
            value = type(value)(utc_naive(v) for v in value)
        return super().build_query_fragment(field, filter_type, utc_naive(value))


class ChineseWhooshEngine(stock.WhooshEngine):
    backend = ChineseWhooshSearchBackend
    query = ChineseWhooshSearchQuery
