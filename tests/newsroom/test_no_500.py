"""No input gives a 500 (docs/security.md, "Bad input").

Hypothesis posts generated values (text with NUL bytes, huge and negative
numbers, impossible dates, years 1 and 9999, random strings) as each field of
every admin endpoint of the article workflow, as a reporter, an editor and a
superuser, and as each public URL parameter, and asserts the answer is never
a 5xx. Bounded examples keep it in the normal suite, on SQLite and PostgreSQL.
"""

from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.admin.article import ArticleAdminForm
from articles.models import Article, Transition
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    PreviewLinkFactory,
    SeriesFactory,
)
from tests.forms import article_form

pytestmark = pytest.mark.django_db

Status = Article.Status

# What a person, a script or an attacker might send, beside what Hypothesis makes up.
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "%00",
    "abc",
    "-1",
    "0",
    "1.5",
    "99999999999999999999",
    "-99999999999999999999",
    "1e309",
    "NaN",
    "2026-13-01T08:00",
    "2026-02-30T08:00",
    "2026-12-01T25:00",
    "2026-12-01T08:00+99:00",
    "0001-01-01T00:00",
    "0001-01-01",
    "9999-12-31T23:59",
    "9999-12-31",
    "25:00",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "的" * 300,
    "\ufeff\u200b",
]
values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.text(max_size=10).map(lambda text: text[:3] + "\x00" + text[3:]),  # what PostgreSQL cannot store
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.datetimes().map(lambda moment: moment.isoformat()),
    st.dates().map(str),
    st.times().map(lambda moment: moment.isoformat()),
)
# Path segments: what the URL patterns accept (digits, slugs) and anything else, quoted.
slugs = st.one_of(st.from_regex(r"\A[-a-zA-Z0-9_]{1,30}\Z"), st.text(min_size=1, max_size=20).map(quote))
numbers = st.one_of(st.integers(min_value=-5, max_value=2**70).map(str), st.from_regex(r"\A[0-9]{1,25}\Z"))

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ROLES = ["reporter", "editor", "superuser"]


@pytest.fixture
def site(staff):
    """One article in each state the workflow endpoints act on, a preview
    link, a revision to restore, and a client per role."""
    series = SeriesFactory(name="百千万工程")
    author = ContributorFactory(name="李明")
    articles = {
        "draft": ArticleFactory(series=series, draft=True, created_by=staff.reporter),
        "final": ArticleFactory(series=series, status=Status.FINAL_REVIEW, publish_at=None),
        "published": ArticleFactory(series=series, created_by=staff.reporter),
    }
    for article in articles.values():
        BylineFactory(article=article, contributor=author)
    link = PreviewLinkFactory(article=articles["draft"], created_by=staff.reporter)
    clients = {}
    for role in ROLES:
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(getattr(staff, role))
    return {"series": series, "author": author, "articles": articles, "link": link, "clients": clients}


def answer(client, method, url, data=None):
    """The status of one request, each in a savepoint rolled back afterwards
    (examples stay independent; on PostgreSQL an error cannot poison the next)."""
    with transaction.atomic():
        response = getattr(client, method)(url, data or {})
        transaction.set_rollback(True)
    assert response.status_code < 500, (method, url, data, response.status_code)
    return response


def admin_url(article, view=""):
    return f"/admin/articles/article/{article.pk}/{view}"


# --- the admin: the article workflow's endpoints ------------------------------------------

WORKFLOW_FIELDS = ["action", "comment", "publish_at", "publish_at_0", "publish_at_1", "override_reason"]
actions = st.one_of(st.sampled_from(Transition.Action.values), values)


@SETTINGS
@given(
    role=st.sampled_from(ROLES),
    which=st.sampled_from(["draft", "final", "published"]),
    action=actions,
    field=st.sampled_from(WORKFLOW_FIELDS),
    value=values,
)
# The 500s found by hand before this test existed (issue 10), kept as fixed examples.
@example(role="superuser", which="final", action="edit_published", field="comment", value="")
@example(role="superuser", which="final", action="import", field="comment", value="")
@example(role="reporter", which="final", action="publish", field="publish_at", value="2026-13-01T08:00")
@example(role="superuser", which="final", action="publish", field="publish_at", value="2026-12-01T08:00+99:00")
@example(role="superuser", which="final", action="publish", field="publish_at", value="0001-01-01T00:00")
@example(role="superuser", which="final", action="publish", field="publish_at", value="9999-12-31T23:59")
@example(role="superuser", which="final", action="return", field="comment", value="退回\x00")
@example(role="superuser", which="published", action="withdraw", field="comment", value="撤稿\x00")
def test_workflow_steps(site, role, which, action, field, value):
    data = {"action": action, "comment": "意见", field: value}
    answer(site["clients"][role], "post", admin_url(site["articles"][which], "workflow/"), data)


@SETTINGS
@given(role=st.sampled_from(ROLES), text=values, extra=st.dictionaries(values, values, max_size=2))
@example(role="superuser", text="更正\x00", extra={})
def test_corrections(site, role, text, extra):
    answer(
        site["clients"][role], "post", admin_url(site["articles"]["published"], "correction/"), {"text": text, **extra}
    )


@SETTINGS
@given(
    role=st.sampled_from(ROLES),
    object_id=st.one_of(numbers, slugs),
    link_id=st.one_of(st.none(), numbers),
    extra=st.dictionaries(values, values, max_size=2),
)
def test_preview_links_and_their_revocation(site, role, object_id, link_id, extra):
    article = site["articles"]["draft"]
    client = site["clients"][role]
    answer(client, "post", f"/admin/articles/article/{object_id}/preview-link/", extra)
    answer(client, "post", admin_url(article, "preview-link/"), extra)
    link_id = link_id or str(site["link"].pk)
    answer(client, "post", admin_url(article, f"preview-link/{link_id}/revoke/"), extra)


@SETTINGS
@given(
    role=st.sampled_from(ROLES),
    version_id=numbers,
    method=st.sampled_from(["get", "post"]),
    loaded_version=values,
    old=values,
    new=values,
)
def test_revisions_compare_and_restore(site, role, version_id, method, loaded_version, old, new):
    article = site["articles"]["draft"]
    client = site["clients"][role]
    answer(client, "get", admin_url(article, "revisions/"))
    answer(client, "get", admin_url(article, "revisions/compare/"), {"old": old, "new": new})
    answer(client, method, admin_url(article, f"revisions/{version_id}/restore/"), {"loaded_version": loaded_version})


# The change form's fields (expire_at is a date box and a time box), and what
# the page sends besides them.
FORM_FIELDS = [
    *(name for name in ArticleAdminForm.Meta.fields if name != "expire_at"),
    "expire_at_0",
    "expire_at_1",
    "loaded_version",
    "own_drafts",
    "bylines-TOTAL_FORMS",
    "bylines-INITIAL_FORMS",
    "bylines-0-contributor",
    "bylines-0-role",
    "credits-TOTAL_FORMS",
    "_continue",
]


@SETTINGS
@given(
    role=st.sampled_from(ROLES),
    which=st.sampled_from(["draft", "final", "published", "new"]),
    fields=st.dictionaries(st.sampled_from(FORM_FIELDS), values, min_size=1, max_size=3),
)
@example(role="superuser", which="draft", fields={"series": " "})
@example(role="superuser", which="draft", fields={"expire_at_0": "0001-01-01", "expire_at_1": "00:00"})
@example(role="superuser", which="draft", fields={"bylines-TOTAL_FORMS": "1", "bylines-0-contributor": "abc"})
def test_the_change_form(site, role, which, fields):
    article = site["articles"].get(which)
    url = admin_url(article, "change/") if article else "/admin/articles/article/add/"
    answer(site["clients"][role], "post", url, article_form(article, **fields))


@SETTINGS
@given(
    role=st.sampled_from(ROLES),
    action=st.one_of(
        st.sampled_from(
            ["submit_selected", "pass_first_selected", "pass_second_selected", "publish_selected", "delete_selected"]
        ),
        values,
    ),
    selected=st.lists(st.one_of(st.sampled_from(["1", "2", "3"]), values), max_size=3),
    extra=st.dictionaries(st.sampled_from(["index", "select_across", "post"]), values, max_size=2),
)
@example(role="superuser", action="submit_selected", selected=["abc"], extra={})
def test_bulk_actions(site, role, action, selected, extra):
    data = {"action": action, "_selected_action": selected, "index": "0", **extra}
    answer(site["clients"][role], "post", "/admin/articles/article/", data)


CHANGELIST_PARAMETERS = [
    "q",
    "p",
    "o",
    "e",
    "all",
    "status",
    "state",
    "queue",
    "is_lead__exact",
    "series__id__exact",
    "bylines__contributor__id__exact",
    "publish_at__gte",
    "publish_at__lt",
    "publish_at__year",
    "publish_at__month",
    "publish_at__day",
    "_popup",
    "_to_field",
]


@SETTINGS
@given(
    role=st.sampled_from(ROLES),
    params=st.dictionaries(st.one_of(st.sampled_from(CHANGELIST_PARAMETERS), values), values, max_size=3),
)
@example(role="superuser", params={"status": "\x00"})
@example(role="superuser", params={"q": "\x00"})
def test_the_change_list(site, role, params):
    answer(site["clients"][role], "get", "/admin/articles/article/", params)


AUTOCOMPLETE_SOURCES = [
    ("articles", "article", "series"),
    ("articles", "article", "cover"),
    ("articles", "byline", "contributor"),
]


@SETTINGS
@given(
    role=st.sampled_from(ROLES),
    source=st.sampled_from(AUTOCOMPLETE_SOURCES),
    field=st.sampled_from(["app_label", "model_name", "field_name", "term", "page"]),
    value=values,
)
@example(role="superuser", source=AUTOCOMPLETE_SOURCES[0], field="term", value="\x00")
def test_autocomplete(site, role, source, field, value):
    app_label, model_name, field_name = source
    params = {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": "江", field: value}
    answer(site["clients"][role], "get", "/admin/autocomplete/", params)


# --- the public site ------------------------------------------------------------------------


def public_urls(site, segment, number):
    article, series, author = site["articles"]["published"], site["series"], site["author"]
    return [
        "/",
        f"/articles/{segment}/",
        f"{article.get_absolute_url()}",
        f"/series/{segment}/",
        f"/series/{segment}/feed/",
        f"/series/{segment}/feed/atom/",
        f"{series.get_absolute_url()}",
        f"{series.get_absolute_url()}feed/",
        f"/contributors/{segment}/",
        f"{author.get_absolute_url()}",
        f"/preview/{segment}/",
        f"/archive/{number[:4].zfill(4)}/{number[4:6].zfill(2)}/",
        f"/archive/{number[:4].zfill(4)}/{number[4:6].zfill(2)}/{number[6:8].zfill(2)}/",
        "/feeds/latest/",
        "/feeds/latest/atom/",
        "/sitemap.xml",
        "/sitemap-news.xml",
        f"/sitemap-{segment}.xml",
        "/search/",
        f"/{segment}",
    ]


PUBLIC_PARAMETERS = ["page", "p", "q", "sort", "series", "year", "month", "day", "token", "format"]


@SETTINGS
@given(
    segment=slugs,
    number=st.from_regex(r"\A[0-9]{8}\Z"),
    params=st.dictionaries(st.one_of(st.sampled_from(PUBLIC_PARAMETERS), values), values, max_size=3),
)
def test_every_public_url_and_parameter(site, segment, number, params):
    reader = Client(raise_request_exception=False)
    for url in public_urls(site, segment, number):
        answer(reader, "get", url, params)


@SETTINGS
@given(q=values, page=values, sort=st.one_of(st.sampled_from(["relevance", "newest", "oldest"]), values), series=values)
@example(q="\x00", page="1", sort="relevance", series="")
def test_search_parameters(site, q, page, sort, series):
    answer(
        Client(raise_request_exception=False), "get", "/search/", {"q": q, "page": page, "sort": sort, "series": series}
    )
