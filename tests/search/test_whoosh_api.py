"""What search/ assumes of haystack, whoosh and Django beyond their documented
API, one test per assumption: after an upgrade, a failure here names what
changed (versions are pinned in requirements.txt). Django's on-commit list:
tests/newsroom/test_on_commit.py."""

import inspect
import re
from datetime import UTC, date, datetime

import pytest
from haystack import connections
from haystack.backends.whoosh_backend import WhooshSearchBackend
from whoosh import fields, formats
from whoosh.collectors import ScoredCollector, WrappingCollector
from whoosh.filedb.filestore import RamStorage

from search.analysis import ChineseText, ChineseTokenizer, _Positions
from search.backend import ChineseWhooshSearchBackend
from search.querying import SharedSearchers
from search.storage import IndexStorage, to_whoosh

TEXT = "新江门市2024年GDP增长，侨乡村里侨乡情。江门"


def test_chinese_text_indexes_exactly_what_whooshs_positions_format_would():
    ours = sorted(ChineseText(field_boost=3.0).index(TEXT))
    whooshs = sorted(fields.TEXT(analyzer=ChineseTokenizer(), phrase=True, field_boost=3.0).index(TEXT))
    assert ours == whooshs


@pytest.mark.parametrize("positions", [[0], [3, 4, 9], list(range(0, 4000, 7))])
def test_the_fast_positions_decoder_reads_whooshs_encoding(positions):
    encoded = formats.Positions().encode(positions)
    assert _Positions().decode_positions(encoded) == formats.Positions().decode_positions(encoded) == positions


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 3, 1, 8, 30),
        date(2026, 3, 1),
        True,
        False,
        ["a", 1],
        ("x",),
        7,
        2.5,
        "江门",
        None,
    ],
)
def test_document_values_are_converted_as_haystacks_whoosh_backend_does(value):
    assert to_whoosh(value) == WhooshSearchBackend._from_python(None, value)


def test_aware_datetimes_are_stored_in_utc():
    assert to_whoosh(datetime(2026, 3, 1, 8, 30, tzinfo=UTC).astimezone()) == datetime(2026, 3, 1, 8, 30)


def test_setup_sets_every_attribute_haystacks_whoosh_setup_sets(tmp_path):
    options = {**connections.connections_info["default"], "STORAGE": "ram"}
    stock = WhooshSearchBackend("default", **{**options, "PATH": str(tmp_path / "stock")})
    stock.setup()
    ours = ChineseWhooshSearchBackend("default", **{**options, "PATH": str(tmp_path / "ours")})
    ours.setup()
    assert set(vars(stock)) - set(vars(ours)) == set()


def test_every_haystack_method_needing_more_of_the_index_is_overridden_or_refused():
    """haystack's Whoosh backend uses ``self.index`` as a whoosh index;
    ``SharedSearchers`` stands in for it with ``refresh``/``searcher``/
    ``doc_count``. A haystack method that needs more is overridden (storage)
    or refused at start-up (spelling: search/checks.py)."""
    offered = {name for name in dir(SharedSearchers) if not name.startswith("_")}
    refused = {"create_spelling_suggestion"}  # INCLUDE_SPELLING, search.E001
    needing_more = {
        name
        for name, method in inspect.getmembers(WhooshSearchBackend, inspect.isfunction)
        if set(re.findall(r"self\.index\.(\w+)", inspect.getsource(method))) - offered
    }
    overridden = {
        name for name in needing_more if name in vars(IndexStorage) or name in vars(ChineseWhooshSearchBackend)
    }
    assert needing_more - overridden == refused


def test_the_scoring_collector_takes_a_replace_interval_and_wrappers_expose_child():
    schema = fields.Schema(text=fields.TEXT)
    index = RamStorage().create_index(schema)
    with index.searcher() as searcher:
        collector = searcher.collector(limit=10)
        assert isinstance(collector, ScoredCollector) and collector.replace == 10
        wrapped = searcher.collector(limit=10, filter={1})
        assert isinstance(wrapped, WrappingCollector) and isinstance(wrapped.child, ScoredCollector)
