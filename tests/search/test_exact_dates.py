"""Date ranges read to the microsecond, exclusive bounds kept
(search/querying.py ExactDateTime): what makes the index's total agree with
the database in the second an article expires or goes live."""

from datetime import datetime

from whoosh import fields as whoosh_fields
from whoosh import query as whoosh_query
from whoosh.util.times import datetime_to_long

from search.querying import ExactDateTime, with_exact_dates


def test_a_bound_to_the_microsecond_is_kept_with_its_exclusivity():
    at = datetime(2026, 11, 29, 12, 0, 0, 500_000)
    after = ExactDateTime().parse_range("expire_at", "20261129120000500000", None, True, False)
    before = ExactDateTime().parse_range("publish_at", None, "20261129120000500000", False, False)
    assert (after.start, after.end, after.startexcl, after.endexcl) == (datetime_to_long(at), None, True, False)
    assert (before.start, before.end, before.startexcl, before.endexcl) == (None, datetime_to_long(at), False, False)


def test_a_whole_second_runs_from_its_first_to_its_last_microsecond():
    q = ExactDateTime().parse_range("publish_at", "20261129120059", "20261129120059", False, True)
    assert q.start == datetime_to_long(datetime(2026, 11, 29, 12, 0, 59, 0))
    assert q.end == datetime_to_long(datetime(2026, 11, 29, 12, 0, 59, 999_999))
    assert (q.startexcl, q.endexcl) == (False, True)


def test_a_range_keeps_its_boost():
    for start, end in [("20261129120000500000", None), (None, None), ("2026", None)]:
        assert ExactDateTime().parse_range("d", start, end, False, False, boost=2.5).boost == 2.5


def test_an_open_range_is_every_date_and_other_forms_are_whooshs():
    assert ExactDateTime().parse_range("d", None, None, False, False) == whoosh_query.Every("d")
    for start, end in [("2026", None), ("202611", "20261130"), ("2026112912000050", None)]:
        mine = ExactDateTime().parse_range("d", start, end, False, False)
        assert mine == whoosh_fields.DATETIME().parse_range("d", start, end, False, False)


def test_the_parsers_schema_swaps_only_the_date_fields():
    schema = whoosh_fields.Schema(
        publish_at=whoosh_fields.DATETIME(stored=True, sortable=True),
        updated=whoosh_fields.DATETIME(unique=True),
        title=whoosh_fields.TEXT(stored=True),
    )
    exact = with_exact_dates(schema)
    assert type(exact["publish_at"]) is ExactDateTime and type(exact["updated"]) is ExactDateTime
    assert exact["publish_at"].stored and exact["publish_at"].column_type is not None
    assert exact["updated"].unique and not exact["updated"].stored and exact["updated"].column_type is None
    assert exact["title"] is schema["title"]
