"""haystack's settings an operator may set: each works, or start-up refuses it
with a message naming it (search/checks.py)."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from haystack.query import SearchQuerySet

from search.checks import check_haystack_settings
from tests.factories import ArticleFactory


def messages(settings_errors):
    return [error.msg for error in settings_errors]


def test_the_project_settings_pass():
    assert check_haystack_settings() == []


def test_include_spelling_is_refused_at_start_up(settings):
    settings.HAYSTACK_CONNECTIONS = {"default": {**settings.HAYSTACK_CONNECTIONS["default"], "INCLUDE_SPELLING": True}}
    with pytest.raises(SystemCheckError) as refused:
        call_command("check")
    assert "HAYSTACK_CONNECTIONS['default']['INCLUDE_SPELLING']：本站搜索不提供拼写建议" in str(refused.value)
    assert "search.E001" in str(refused.value)


def test_ram_storage_is_refused_for_the_embedded_index(settings):
    settings.HAYSTACK_CONNECTIONS = {"default": {**settings.HAYSTACK_CONNECTIONS["default"], "STORAGE": "ram"}}
    (error,) = check_haystack_settings()
    assert error.msg.startswith("HAYSTACK_CONNECTIONS['default']['STORAGE']：")


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("HAYSTACK_DEFAULT_OPERATOR", "OR"),
        ("HAYSTACK_ID_FIELD", "pk"),
        ("HAYSTACK_DJANGO_CT_FIELD", "ct"),
        ("HAYSTACK_DJANGO_ID_FIELD", "obj_id"),
        ("HAYSTACK_DOCUMENT_FIELD", "body"),
        ("HAYSTACK_IDENTIFIER_METHOD", "myapp.ids.identify"),
        ("HAYSTACK_ROUTERS", ["myapp.routers.ReadReplica"]),
        ("HAYSTACK_FUZZY_MIN_SIM", 0.5),
        ("HAYSTACK_FUZZY_MAX_EXPANSIONS", 50),
        ("HAYSTACK_CUSTOM_HIGHLIGHTER", "myapp.Highlighter"),
        ("HAYSTACK_SEARCH_RESULTS_PER_PAGE", 0),
        ("HAYSTACK_SEARCH_RESULTS_PER_PAGE", "20"),
        ("HAYSTACK_ITERATOR_LOAD_PER_QUERY", -1),
        ("HAYSTACK_LIMIT_TO_REGISTERED_MODELS", "yes"),
    ],
)
def test_settings_that_cannot_work_are_refused_by_name(settings, setting, value):
    setattr(settings, setting, value)
    (error,) = check_haystack_settings()
    assert error.msg.startswith(f"{setting}：") and error.msg.endswith("。")
    assert error.id.startswith("search.E")


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("HAYSTACK_DEFAULT_OPERATOR", "AND"),
        ("HAYSTACK_ID_FIELD", "id"),
        ("HAYSTACK_SEARCH_RESULTS_PER_PAGE", 10),
        ("HAYSTACK_ITERATOR_LOAD_PER_QUERY", 50),
        ("HAYSTACK_LIMIT_TO_REGISTERED_MODELS", True),
    ],
)
def test_settings_that_work_pass(settings, setting, value):
    setattr(settings, setting, value)
    assert check_haystack_settings() == []


@pytest.mark.django_db(transaction=True)
def test_results_per_page_sets_the_search_pages_size(client, search_index, settings):
    settings.HAYSTACK_SEARCH_RESULTS_PER_PAGE = 5
    for n in range(7):
        ArticleFactory(title=f"江门新闻第{n}条")
    html = client.get("/search/", {"q": "江门"}).content.decode()
    assert html.count('class="search-result"') == 5 and "第 1 / 2 页" in html
    assert client.get("/search/", {"q": "江门", "page": 2}).content.decode().count('class="search-result"') == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("limit", [True, False])
def test_limit_to_registered_models_either_way_finds_the_same(client, search_index, settings, limit):
    settings.HAYSTACK_LIMIT_TO_REGISTERED_MODELS = limit
    settings.HAYSTACK_ITERATOR_LOAD_PER_QUERY = 2
    for n in range(3):
        ArticleFactory(title=f"江门新闻第{n}条")
    ArticleFactory(title="开平碉楼")
    html = client.get("/search/", {"q": "江门"}).content.decode()
    assert html.count('class="search-result"') == 3 and "找到 3 篇" in html


@pytest.mark.django_db(transaction=True)
def test_haystacks_plain_content_search_reads_the_text_field(search_index):
    """A query with no field (haystack's ``content``, ``auto_query``) searches
    the document field, as on haystack's stock backend."""
    ArticleFactory(title="开平碉楼申遗")
    ArticleFactory(title="江门新闻")
    found = SearchQuerySet().filter(content="碉楼")
    assert [result.object.title for result in found] == ["开平碉楼申遗"]
    assert [result.object.title for result in SearchQuerySet().auto_query("碉楼")] == ["开平碉楼申遗"]
