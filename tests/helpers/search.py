"""The search query set (tests/search/query_set.py) judged against an indexed
corpus: used by tests/search/test_query_set.py (Whoosh) and
tests/search/test_solr.py (a real Solr collection, when given one)."""

from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from articles.search_indexes import ArticleIndex
from bench import corpus
from search.query import normalise, parse
from search.results import ArticleSearch
from tests.search.query_set import QUERIES

CORPUS_SIZE = 300


def index_corpus(real_seed) -> dict[int, str]:
    """Load the corpus and the real seed, rebuild the index; every article's search text by pk."""
    call_command("load_seeds", str(real_seed), verbosity=0)
    corpus.load(corpus.generate(CORPUS_SIZE), published_at=timezone.now() - timezone.timedelta(hours=1))
    call_command("rebuild_index", verbosity=0)
    index = ArticleIndex()
    return {a.pk: normalise(index.prepare_text(a)) for a in index.index_queryset()}


def found(query: str) -> set[int]:
    search = ArticleSearch(parse(query))
    return {hit.article.pk for hit in search[0 : search.count()]}


def assert_query_set_answers(indexed_corpus: dict[int, str]) -> None:
    """Every query finds every article that contains its terms, and (nearly) nothing else.
    Also run against a real Solr collection by tests/search/test_solr.py, when given one."""
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
