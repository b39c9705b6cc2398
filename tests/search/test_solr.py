"""The Solr 9 scale-out path, tested as far as it can be without a Solr server.

No Solr (nor Java) runs on this machine, so the one fake in these tests is
at the HTTP layer: pysolr's ``requests`` session gets a transport adapter that
records every request and answers as Solr would (empty results, a canned hit,
or 503). Everything above it is the real code: the settings switch, haystack's
Solr backend and query builder, pysolr, our schema templates, the signal
processor and the queue. What only a real Solr can show (that it loads the
configset, analyses Chinese as intended, ranks and answers in time) is listed
as untested in docs/search.md.
"""

import json
import os
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import time_machine
from django.apps import apps
from django.core.management import call_command
from haystack import connections
from requests.adapters import BaseAdapter
from requests.models import Response

from articles import services
from articles.models import Article
from newsroom.settings import search_connections
from search.indexing import apply_queued
from search.models import PendingIndexChange
from search.query import parse
from search.results import ArticleSearch
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, SeriesFactory
from tests.helpers.search import assert_query_set_answers, index_corpus

SOLR_URL = "solr://solr.test:8983/solr/newsroom"
NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
NOW_IN_SOLR = '"2026-03-01T08:00:00Z"'


class RecordingSolr(BaseAdapter):
    """A transport adapter for pysolr's session: records each request, answers like Solr."""

    def __init__(self):
        super().__init__()
        self.requests = []
        self.docs = []  # what /select returns
        self.down = False

    def send(self, request, **kwargs):
        url = urlsplit(request.url)
        body = request.body.decode() if isinstance(request.body, bytes) else request.body
        self.requests.append((request.method, url.path, parse_qs(url.query), body))
        if self.down:
            return self._answer(request, 503, {"error": {"msg": "no servers hosting shard", "code": 503}})
        if url.path.endswith("/select/"):
            found = {"numFound": len(self.docs), "start": 0, "docs": self.docs}
            return self._answer(request, 200, {"responseHeader": {"status": 0}, "response": found})
        if url.path.endswith("/admin/ping/"):
            return self._answer(request, 200, {"responseHeader": {"status": 0}, "status": "OK"})
        return self._answer(request, 200, {"responseHeader": {"status": 0}})

    def close(self):
        pass

    @staticmethod
    def _answer(request, status, payload):
        response = Response()
        response.status_code, response.url, response.request = status, request.url, request
        response.headers["Content-Type"] = "application/json"
        response._content = json.dumps(payload).encode()
        return response

    def searches(self) -> list[dict]:
        return [{k: v[0] for k, v in query.items()} for _, path, query, _ in self.requests if path.endswith("/select/")]

    def updates(self) -> list[ET.Element]:
        return [ET.fromstring(body) for _, path, _, body in self.requests if path.endswith("/update/") and body]


@contextmanager
def solr_connection(url: str, **kwargs):
    """SEARCH_URL=``url`` for the duration, with live index updates on."""
    info = connections.connections_info["default"]
    saved = dict(info)
    info.clear()
    info.update(search_connections(url)["default"], **kwargs)
    connections.reload("default")
    processor = apps.get_app_config("haystack").signal_processor
    processor.setup()
    try:
        yield
    finally:
        processor.teardown()
        info.clear()
        info.update(saved)
        connections.reload("default")


@pytest.fixture
def solr():
    """SEARCH_URL=solr://… with the HTTP layer replaced by a RecordingSolr."""
    fake = RecordingSolr()
    session = requests.Session()
    session.mount("http://", fake)
    with solr_connection(SOLR_URL, KWARGS={"session": session}):
        yield fake


def documents(update: ET.Element) -> dict[str, dict[str, str]]:
    """The documents an <add> sends, by id: field name → value."""
    return {
        fields["id"]: fields
        for doc in update.iter("doc")
        for fields in [{field.get("name"): field.text for field in doc.iter("field")}]
    }


def solr_doc(article: Article) -> dict:
    """A document as Solr returns it for haystack's ``fl=* score``."""
    return {
        "id": f"articles.article.{article.pk}",
        "django_ct": "articles.article",
        "django_id": str(article.pk),
        "score": 1.0,
    }


def deleted_ids(update: ET.Element) -> list[str]:
    return [element.text for element in update.iter("id")] if update.tag == "delete" else []


# --- the configset: what `build_solr_schema --configure-directory` writes ----------------------


@pytest.fixture
def configset(solr, tmp_path) -> Path:
    call_command("build_solr_schema", configure_directory=str(tmp_path), stdout=StringIO())
    return tmp_path


def test_the_schema_analyses_every_text_field_as_chinese(configset):
    schema = ET.parse(configset / "schema.xml").getroot()
    fields = {field.get("name"): field for field in schema.findall("field")}
    types = {field_type.get("name"): field_type for field_type in schema.findall("fieldType")}
    assert schema.findtext("uniqueKey") == "id"
    assert {"id", "django_ct", "django_id", "_version_", "text", "series_id", "publish_at", "expire_at"} <= set(fields)
    assert fields["text"].get("type") == "text_zh" and fields["text"].get("stored") == "false"
    assert {fields[name].get("type") for name in ("publish_at", "expire_at")} == {"date"}
    assert fields["series_id"].get("type") == "long"
    # Every type a field names is declared (Solr would refuse the core otherwise).
    assert {field.get("type") for field in fields.values()} <= set(types)

    def chain(kind):
        analyzer = types["text_zh"].find(f"analyzer[@type='{kind}']")
        return [(step.get("class"), step.get("outputUnigrams")) for step in analyzer]

    assert chain("index") == [
        ("solr.StandardTokenizerFactory", None),
        ("solr.CJKWidthFilterFactory", None),
        ("solr.LowerCaseFilterFactory", None),
        ("solr.CJKBigramFilterFactory", "true"),  # every character and every bigram
    ]
    assert chain("query") == [
        ("solr.StandardTokenizerFactory", None),
        ("solr.CJKWidthFilterFactory", None),
        ("solr.LowerCaseFilterFactory", None),
        ("solr.CJKBigramFilterFactory", "false"),  # bigrams; a lone character stays one
    ]


def test_solrconfig_is_for_solr_9_and_solrcloud(configset):
    config = ET.parse(configset / "solrconfig.xml").getroot()
    assert config.findtext("luceneMatchVersion").startswith("9.")
    assert config.find("schemaFactory").get("class") == "ClassicIndexSchemaFactory"
    assert config.find("updateHandler/updateLog") is not None  # SolrCloud needs it
    select = config.find("requestHandler[@name='/select']/lst[@name='defaults']")
    assert {item.get("name"): item.text for item in select}["df"] == "text"
    assert config.find("requestHandler[@name='/admin/ping']") is not None  # /healthz
    # Classes Solr 9 removed (haystack's own template still has them).
    text = (configset / "solrconfig.xml").read_text() + (configset / "schema.xml").read_text()
    for removed in ("LRUCache", "FastLRUCache", "LFUCache", "Trie", "velocity", "RunExecutableListener"):
        assert removed not in text


# --- the queries a reader's search sends ---------------------------------------------------------


def clauses(q: str) -> list[str]:
    """The ANDed parts of haystack's query string, which wraps them in one pair of brackets."""
    assert q.startswith("(") and q.endswith(")")
    return q[1:-1].split(" AND ")


def search(query: str, **options) -> ArticleSearch:
    with time_machine.travel(NOW, tick=False):
        results = ArticleSearch(parse(query), **options)
        len(results)
    return results


@pytest.mark.django_db
def test_each_term_is_an_exact_phrase_and_only_live_articles_are_asked_for(solr):
    search("江门 侨乡村")
    (sent,) = solr.searches()
    assert sorted(clauses(sent["q"])) == sorted(
        [
            f"publish_at:([* TO {NOW_IN_SOLR}])",  # published by now: scheduled ones wait
            f"expire_at:({{{NOW_IN_SOLR} TO *}})",  # not expired
            'text:("江门")',
            'text:("侨乡村")',
        ]
    )
    assert "sort" not in sent  # relevance
    assert (sent["start"], sent["rows"], sent["df"]) == ("0", "20", "text")


@pytest.mark.django_db
def test_series_filter_date_sort_and_page(solr):
    search("碉楼", series_ids=[3, 7], sort="date", page=3)
    sent = solr.searches()[0]
    assert 'series_id:("3" OR "7")' in sent["q"]
    assert sent["sort"] == "publish_at desc"
    assert (sent["start"], sent["rows"]) == ("40", "20")


@pytest.mark.django_db
def test_query_syntax_typed_by_a_reader_stays_text(solr):
    search('title:x OR (开平 "碉楼" C++ * AND')
    q = solr.searches()[0]["q"]
    terms = [clause for clause in clauses(q) if clause.startswith("text:")]
    words = ["title", "x", "or", "开平", "碉楼", "c", "and"]  # AND, OR and title: are words like any other
    assert terms == [f'text:("{word}")' for word in words]


@pytest.mark.django_db
def test_an_empty_query_asks_solr_nothing(solr):
    search("   ")
    assert solr.searches() == []


@pytest.mark.django_db
def test_a_hit_is_shown_only_if_the_database_says_it_is_public(solr, client):
    live = ArticleFactory(title="开平碉楼申遗记")
    draft = ArticleFactory(title="碉楼草稿", status=Article.Status.DRAFT, publish_at=None)
    solr.docs = [solr_doc(live), solr_doc(draft)]  # a stale entry for the draft
    page = client.get("/search/?q=碉楼").content.decode()
    assert live.get_absolute_url() in page
    assert draft.get_absolute_url() not in page


@pytest.mark.django_db
def test_solr_down_gives_the_calm_unavailable_page(solr, client):
    solr.down = True
    response = client.get("/search/?q=碉楼")
    assert response.status_code == 503
    assert "搜索暂时不可用" in response.content.decode()


# --- the index-update path: signals → haystack → pysolr → HTTP -----------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_published_article_is_sent_with_its_search_text_and_committed(solr):
    series = SeriesFactory(name="百千万")
    article = ArticleFactory(title="侨乡新貌", body="<p>开平碉楼。</p>", series=series)
    BylineFactory(article=article, contributor=ContributorFactory(name="赵可义"))
    method, path, query, _ = solr.requests[-1]
    assert (method, path, query["commit"]) == ("POST", "/solr/newsroom/update/", ["true"])
    sent = documents(solr.updates()[-1])[f"articles.article.{article.pk}"]
    assert sent["django_ct"] == "articles.article" and sent["django_id"] == str(article.pk)
    for shown in ("侨乡新貌", "开平碉楼", "赵可义", "百千万"):
        assert shown in sent["text"]
    assert sent["series_id"] == str(series.pk)
    assert sent["publish_at"] == article.publish_at.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"
    assert sent["expire_at"] == "9999-12-31T00:00:00Z"  # never expires


@pytest.mark.django_db(transaction=True)
def test_an_article_that_leaves_the_public_is_deleted_from_solr(solr, staff):
    article = ArticleFactory(title="侨乡新貌")
    services.article_withdraw(article=article, by=staff.chief, reason="核实中")
    assert deleted_ids(solr.updates()[-1]) == [f"articles.article.{article.pk}"]
    pk = article.pk
    services.article_transition(article=article, by=staff.chief, action="reopen")
    article.delete()
    assert deleted_ids(solr.updates()[-1]) == [f"articles.article.{pk}"]


@pytest.mark.django_db(transaction=True)
def test_a_rename_resends_every_article_of_the_series_in_one_request(solr):
    series = SeriesFactory(name="百千万")
    first, second = ArticleFactory(series=series), ArticleFactory(series=series)
    before = len(solr.updates())
    series.name = "奋进特刊"
    series.save()
    (update,) = solr.updates()[before:]
    sent = documents(update)
    assert set(sent) == {f"articles.article.{first.pk}", f"articles.article.{second.pk}"}
    assert all("奋进特刊" in doc["text"] for doc in sent.values())


@pytest.mark.django_db(transaction=True)
def test_solr_down_queues_the_change_and_the_next_write_sends_it(solr, staff):
    solr.down = True
    article = ArticleFactory(title="侨乡新貌")  # the editor's save succeeds
    assert Article.objects.filter(pk=article.pk).exists()
    assert list(PendingIndexChange.objects.values_list("article_id", flat=True)) == [article.pk]
    solr.down = False
    assert apply_queued() == 1
    assert f"articles.article.{article.pk}" in documents(solr.updates()[-1])
    assert not PendingIndexChange.objects.exists()


@pytest.mark.django_db
def test_healthz_pings_solr(solr, client):
    assert client.get("/healthz").status_code == 200
    assert solr.requests[-1][1] == "/solr/newsroom/admin/ping/"
    solr.down = True
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["failing"] == ["search"]


# --- rebuilding -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_rebuild_if_needed_leaves_a_complete_index_alone_and_rebuilds_an_incomplete_one(solr):
    articles = [ArticleFactory(), ArticleFactory()]
    solr.requests.clear()
    solr.docs = [solr_doc(article) for article in articles]
    out = StringIO()
    call_command("rebuild_index", "--if-needed", stdout=out)
    assert "不用重建" in out.getvalue() and solr.updates() == []
    solr.docs = solr.docs[:1]  # one article missing from Solr
    call_command("rebuild_index", "--if-needed", stdout=StringIO(), stderr=StringIO())
    cleared, *added = solr.updates()
    assert cleared.tag == "delete" and cleared.findtext("query") == "*:*"
    assert {doc_id for update in added for doc_id in documents(update)} == {solr_doc(a)["id"] for a in articles}


# --- against a real Solr, by hand -----------------------------------------------------------------

REAL_SOLR = os.environ.get("NEWSROOM_TEST_SOLR_URL", "")


@pytest.mark.skipif(not REAL_SOLR, reason="needs a Solr 9 collection of its own: NEWSROOM_TEST_SOLR_URL=solr://…")
@pytest.mark.django_db(transaction=True)
def test_query_set_on_a_real_solr_collection(real_seed):
    """The search-quality query set (tests/search/query_set.py) on a real Solr:
    the collection is EMPTIED and filled with the test corpus. Never run on
    this project's machines (no Solr here); see docs/search.md."""
    with solr_connection(REAL_SOLR):
        assert_query_set_answers(index_corpus(real_seed))
