"""One setting chooses the search engine: SEARCH_URL."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from newsroom.settings import DATA_DIR, search_connections


def test_default_is_the_embedded_whoosh_index():
    default = search_connections("")["default"]
    assert default["ENGINE"] == "search.backend.ChineseWhooshEngine"
    assert default["PATH"] == str(DATA_DIR / "search_index")


def test_whoosh_elsewhere():
    assert search_connections("whoosh:///srv/newsroom/index")["default"]["PATH"] == "/srv/newsroom/index"


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("solr://solr.internal:8983/solr/jmrb", "http://solr.internal:8983/solr/jmrb"),
        ("solr://solr.internal", "http://solr.internal:8983/solr/newsroom"),
        ("solr+https://search.example.cn/solr/news/", "https://search.example.cn:8983/solr/news"),
    ],
)
def test_solr(url, address):
    assert search_connections(url)["default"] == {
        "ENGINE": "search.solr.ChineseSolrEngine",
        "URL": address,
        "SILENTLY_FAIL": False,  # a failed write is queued (search/indexing.py), never lost in a log line
    }


def test_solr_credentials_are_sent_as_basic_auth_not_in_the_url():
    connection = search_connections("solr+https://newsroom:p%40ss@solr.internal:8443/solr/news")["default"]
    assert connection["URL"] == "https://solr.internal:8443/solr/news"
    assert connection["KWARGS"] == {"auth": ("newsroom", "p@ss")}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("elasticsearch://es.internal:9200/newsroom", "Elasticsearch 7 is no longer supported"),
        ("opensearch://os.internal:9200/newsroom", "must start with whoosh://, solr:// or solr+https://"),
        ("solr:///solr/newsroom", "needs a host"),
        ("solr://solr.internal:port/solr/newsroom", "needs a host"),
    ],
)
def test_anything_else_is_refused_at_start(url, message):
    with pytest.raises(ImproperlyConfigured, match="SEARCH_URL") as refused:
        search_connections(url)
    assert message in str(refused.value)


def test_a_refusal_does_not_repeat_a_password():
    with pytest.raises(ImproperlyConfigured) as refused:
        search_connections("redis://admin:s3cret@cache.internal:6379/0")
    assert "s3cret" not in str(refused.value)
