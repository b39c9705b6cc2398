"""The scale-out path: Apache Solr 9 (SolrCloud) through haystack's own Solr
backend, analysing Chinese the way search/analysis.py does.

Every text field is of type ``text_zh`` (templates/search_configuration/
schema.xml): indexing keeps every character and every bigram
(``CJKBigramFilterFactory`` with ``outputUnigrams="true"``); a query is cut
into bigrams (a lone character stays a character) and, since every term is
sent as an exact phrase (search/results.py), matched at consecutive
positions. So 江门 still finds 新江门 and 鹤 finds 鹤山. Needs no plugin or
module: the tokenizer and the filters ship with Solr's core.

Selected with ``SEARCH_URL=solr://host:8983/solr/<collection>``
(newsroom/settings.py); the configset comes from ``python manage.py
build_solr_schema --configure-directory DIR``. What is tested without a
server, and what is not: docs/search.md.
"""

from haystack.backends.solr_backend import SolrEngine, SolrSearchBackend

CHINESE_TEXT = "text_zh"
# haystack's name for an analysed text field; Solr's default one is English.
_HAYSTACK_TEXT = "text_en"


class ChineseSolrSearchBackend(SolrSearchBackend):
    def build_schema(self, fields):
        """haystack's fields for the schema, with Chinese analysis for every text field."""
        content_field, schema_fields = super().build_schema(fields)
        for field in schema_fields:
            if field["type"] == _HAYSTACK_TEXT:
                field["type"] = CHINESE_TEXT
        return content_field, schema_fields


class ChineseSolrEngine(SolrEngine):
    backend = ChineseSolrSearchBackend
