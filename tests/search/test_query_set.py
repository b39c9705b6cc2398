"""Search quality on the query set: recall 100%, precision at least 95%.

A synthetic corpus (bench/corpus.py) plus the real seed article, indexed the
way production indexes (a full rebuild), searched the way the search page
searches; the known answers are literal substring matches.
"""

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from articles.search_indexes import ArticleIndex
from bench import corpus
from search.query import normalise, parse
from search.results import ArticleSearch

from .query_set import QUERIES

pytestmark = pytest.mark.django_db(transaction=True)

CORPUS_SIZE = 300


@pytest.fixture
def indexed_corpus(search_index, real_seed):
    call_command("load_seeds", str(real_seed), verbosity=0)
    corpus.load(corpus.generate(CORPUS_SIZE), published_at=timezone.now() - timezone.timedelta(hours=1))
    call_command("rebuild_index", verbosity=0)
    index = ArticleIndex()
    return {a.pk: normalise(index.prepare_text(a)) for a in index.index_queryset()}


def found(query: str) -> set[int]:
    search = ArticleSearch(parse(query))
    return {hit.article.pk for hit in search[0 : search.count()]}


def test_query_set_has_recall_100_and_precision_over_95(indexed_corpus):
    assert len(QUERIES) >= 40
    assert len(indexed_corpus) == CORPUS_SIZE + 1
    misses, precisions, answers = {}, [], {}
    for query, _kind in QUERIES:
        terms = parse(query).terms
        expected = {pk for pk, text in indexed_corpus.items() if all(term in text for term in terms)}
        got = found(query)
        if expected - got:
            misses[query] = sorted(expected - got)
        precisions.append(len(got & expected) / len(got) if got else 1.0)
        answers[query] = len(expected)
    assert misses == {}, "recall below 100%"
    assert sum(precisions) / len(precisions) >= 0.95
    assert min(precisions) == 1.0  # in fact exact: every hit contains every term
    # Not a vacuous pass: only the absent queries have no answer, common words have many.
    assert [query for query, count in answers.items() if not count] == ["火星基地", "侨乡碉楼"]
    assert answers["发展"] > CORPUS_SIZE // 2
    assert Article.objects.get(source_document="000_c6905cedc614910f.txt").pk in found("新江门")
