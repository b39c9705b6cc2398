"""The scale-out path: haystack's Elasticsearch 7 backend, analysing Chinese
the way search/analysis.py does, with Elasticsearch's built-in filters.

Indexing keeps every character and every bigram (``cjk_bigram`` with
``output_unigrams``); a query is cut into bigrams (a lone character stays a
character) and matched as a phrase. So 江门 still finds 新江门 and 鹤 finds
鹤山. Needs no plugin: ``cjk_width``, ``lowercase`` and ``cjk_bigram`` ship
with Elasticsearch. Selected with ``SEARCH_URL=elasticsearch://host:9200/index``
(newsroom/settings.py); see docs/search.md for what changes.
"""

import copy

from haystack.backends.elasticsearch7_backend import Elasticsearch7SearchBackend, Elasticsearch7SearchEngine

ANALYSIS = {
    "filter": {"newsroom_bigrams_and_characters": {"type": "cjk_bigram", "output_unigrams": True}},
    "analyzer": {
        "newsroom_chinese_index": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["cjk_width", "lowercase", "newsroom_bigrams_and_characters"],
        },
        "newsroom_chinese_search": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["cjk_width", "lowercase", "cjk_bigram"],
        },
    },
}


def _with_chinese_analysis(settings: dict) -> dict:
    merged = copy.deepcopy(settings)
    analysis = merged.setdefault("settings", {}).setdefault("analysis", {})
    for part in ("filter", "analyzer"):
        analysis.setdefault(part, {}).update(ANALYSIS[part])
    return merged


class ChineseElasticsearch7SearchBackend(Elasticsearch7SearchBackend):
    DEFAULT_SETTINGS = _with_chinese_analysis(Elasticsearch7SearchBackend.DEFAULT_SETTINGS)
    DEFAULT_FIELD_MAPPING = {
        "type": "text",
        "analyzer": "newsroom_chinese_index",
        "search_analyzer": "newsroom_chinese_search",
    }


class ChineseElasticsearch7Engine(Elasticsearch7SearchEngine):
    backend = ChineseElasticsearch7SearchBackend
