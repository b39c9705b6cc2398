"""One setting chooses the search engine: SEARCH_URL."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from haystack import connections

from newsroom.settings import DATA_DIR, search_connections
from search.elasticsearch import ChineseElasticsearch7SearchBackend


def test_default_is_the_embedded_whoosh_index():
    default = search_connections("")["default"]
    assert default["ENGINE"] == "search.backend.ChineseWhooshEngine"
    assert default["PATH"] == str(DATA_DIR / "search_index")


def test_whoosh_elsewhere():
    assert search_connections("whoosh:///srv/newsroom/index")["default"]["PATH"] == "/srv/newsroom/index"


@pytest.mark.parametrize(
    ("url", "address", "index"),
    [
        ("elasticsearch://es.internal:9200/jmrb", "http://es.internal:9200/", "jmrb"),
        ("elasticsearch://es.internal", "http://es.internal:9200/", "newsroom"),
        ("elasticsearch+https://user:secret@es.internal:9243/news", "https://user:secret@es.internal:9243/", "news"),
    ],
)
def test_elasticsearch(url, address, index):
    connection = search_connections(url)["default"]
    assert connection == {
        "ENGINE": "search.elasticsearch.ChineseElasticsearch7Engine",
        "URL": address,
        "INDEX_NAME": index,
    }


def test_anything_else_is_refused_at_start():
    with pytest.raises(ImproperlyConfigured, match="SEARCH_URL"):
        search_connections("solr://localhost:8983/solr")


def test_elasticsearch_indexes_chinese_with_the_cjk_analysis():
    """The mapping haystack would send: every text field analysed as Chinese (no server needed)."""
    backend = ChineseElasticsearch7SearchBackend("default", URL="http://127.0.0.1:9/", INDEX_NAME="test")
    fields = connections["default"].get_unified_index().all_searchfields()
    content_field, mapping = backend.build_schema(fields)
    assert content_field == "text"
    assert mapping["text"]["analyzer"] == "newsroom_chinese_index"
    assert mapping["text"]["search_analyzer"] == "newsroom_chinese_search"
    analysis = backend.DEFAULT_SETTINGS["settings"]["analysis"]
    assert analysis["filter"]["newsroom_bigrams_and_characters"] == {"type": "cjk_bigram", "output_unigrams": True}
    assert "ngram_analyzer" in analysis["analyzer"]  # haystack's own analyzers are kept
