"""Search quality on the query set: recall 100%, precision at least 95%.

A synthetic corpus (bench/corpus.py) plus the real seed article, indexed the
way production indexes (a full rebuild), searched the way the search page
searches; the known answers are literal substring matches.
"""

import pytest

from tests.helpers.search import assert_query_set_answers, index_corpus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def indexed_corpus(search_index, real_seed):
    return index_corpus(real_seed)


def test_query_set_has_recall_100_and_precision_over_95(indexed_corpus):
    assert_query_set_answers(indexed_corpus)
