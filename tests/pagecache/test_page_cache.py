"""The page cache as readers and editors meet it: a page cached for a reader
shows every kind of change on the next request, scheduled times included,
staff are never served from it, and conditional requests get 304s.

Caching is on in every test of the suite (tests/conftest.py); here each kind
of change is made to a page already in the cache.
"""

import os
import socket
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from articles import services
from articles.models import Article, Transition
from pagecache import version
from pagecache.conf import cache_settings
from pagecache.middleware import HEADER, NEVER_CACHED
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CreditFactory,
    ImageFactory,
    SeriesFactory,
    preview_url,
)

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
# A database of its own, flushed by the tests: 15, and one lower for each
# further pytest-xdist worker (gw0 is 15, gw1 14 …) so parallel runs never share it.
REDIS_URL = f"redis://127.0.0.1:6379/{15 - int(os.environ.get('PYTEST_XDIST_WORKER', 'gw0')[2:])}"


@pytest.fixture(params=["locmem", "redis"])
def backend(request, settings, tmp_path):
    """The same test with pages in local memory (the version in a file) and in
    Redis (the version in Redis)."""
    if request.param == "redis":
        try:
            socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        except OSError as error:
            if os.environ.get("CI"):
                raise  # .ci/run starts Redis
            pytest.skip(f"Redis is not running here ({error})")
        settings.CACHES = cache_settings(REDIS_URL)
        caches["pages"].clear()
        version.store().write(version.Stamp.new(now=timezone.now().timestamp()).dumps())
    return request.param


def read(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response


def cached(client, url) -> str:
    """Read a page twice as a reader: the second answer comes from the cache."""
    first, second = read(client, url), read(client, url)
    assert (first[HEADER], second[HEADER]) == ("miss", "hit"), url
    assert second.content == first.content
    return second.content.decode()


def rendered_now(url) -> bytes:
    """The page as it is now, rendered without the cache (a request with a
    session cookie, which the cache leaves alone: an anonymous reader still)."""
    fresh = Client()
    fresh.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    response = fresh.get(url)
    assert HEADER not in response
    return response.content


def next_read(client, url) -> str:
    """The reader's next request: rendered afresh, and the same as a page
    rendered without the cache."""
    response = read(client, url)
    assert response[HEADER] == "miss", url
    assert response.content == rendered_now(url)
    return response.content.decode()


# --- served from the cache ------------------------------------------------------------


def test_a_reader_gets_the_page_from_the_cache_without_a_query(client, backend, django_assert_num_queries):
    article = ArticleFactory(title="侨乡新貌")
    url = article.get_absolute_url()
    first = read(client, url)
    assert first[HEADER] == "miss"
    with django_assert_num_queries(0):
        second = read(client, url)
        head = client.head(url)
    assert second[HEADER] == "hit" and second.content == first.content
    assert head.status_code == 200 and head[HEADER] == "hit"
    assert second["ETag"] == first["ETag"] and second["Content-Type"] == first["Content-Type"]
    # The security headers are added to every answer, cached or not.
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"):
        assert second[header] == first[header], header


@pytest.mark.parametrize(
    "url", ["/", "/series/bai-qian-wan/", "/contributors/zhao-ke-yi/", "/feeds/latest/", "/sitemap.xml", "/search/"]
)
def test_every_kind_of_public_page_is_cached(client, url):
    article = ArticleFactory(series=SeriesFactory(name="百千万"))
    BylineFactory(article=article, contributor=ContributorFactory(name="赵可义"))
    cached(client, url)


# --- every kind of change is on the next request ----------------------------------------


def test_an_edit_through_the_service(client, staff, backend):
    article = ArticleFactory(body="<p>原来的正文。</p>")
    url = article.get_absolute_url()
    assert "原来的正文" in cached(client, url)
    article.body = "<p>改过的正文。</p>"
    services.article_save(article=article, by=staff.editor)
    assert "改过的正文" in next_read(client, url)


def test_a_final_sign_off_puts_the_article_on_the_home_page(client, staff):
    article = ArticleFactory(title="终审签发的稿件", status=Article.Status.FINAL_REVIEW, publish_at=None)
    assert "终审签发的稿件" not in cached(client, "/")
    services.article_publish(article=article, by=staff.chief)
    assert "终审签发的稿件" in next_read(client, "/")
    assert read(client, article.get_absolute_url()).status_code == 200


def test_a_draft_written_and_reviewed_leaves_the_cached_pages_alone(staff):
    """Readers see only 已发布 articles: a draft's edits, bylines and review
    steps change no public page, so the cached pages stay."""
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, created_by=staff.reporter)
    reporter = ContributorFactory(name="李明")
    before = version.current().key
    article.body = "<p>草稿改了一句。</p>"
    services.article_save(article=article, by=staff.reporter)
    services.article_set_people(article=article, by=staff.reporter, bylines=[(reporter, "记者")])
    services.article_submit(article=article, by=staff.reporter)
    services.article_transition(article=article, by=staff.editor, action=Transition.Action.PASS_FIRST)
    assert version.current().key == before
    services.article_return(article=article, by=staff.desk_head, comment="再核实一下")
    assert version.current().key == before


def test_a_withdrawn_article_reopened_and_edited_leaves_the_cached_pages_alone(staff):
    article = ArticleFactory(title="撤下后再改")
    before = version.current().key
    article = services.article_withdraw(article=article, by=staff.chief, reason="事实有误")
    assert version.current().key != before  # off the public pages at once
    before = version.current().key
    article = services.article_transition(article=article, by=staff.chief, action=Transition.Action.REOPEN)
    article.title = "撤下后再改过"
    services.article_save(article=article, by=staff.editor)
    assert version.current().key == before


def test_a_withdrawal_takes_the_article_off_at_once(client, staff):
    article = ArticleFactory(title="要撤下的稿件")
    url = article.get_absolute_url()
    assert "要撤下的稿件" in cached(client, url)
    assert "要撤下的稿件" in cached(client, "/")
    services.article_withdraw(article=article, by=staff.chief, reason="事实有误")
    assert client.get(url).status_code == 404
    assert "要撤下的稿件" not in next_read(client, "/")


def test_a_correction(client, staff):
    article = ArticleFactory()
    url = article.get_absolute_url()
    assert "更正" not in cached(client, url)
    services.article_add_correction(article=article, by=staff.chief, text="第二段的日期应为11月28日。")
    assert "第二段的日期应为11月28日。" in next_read(client, url)


def test_a_series_intro(client):
    series = SeriesFactory(name="百千万", intro="旧的简介。")
    ArticleFactory(series=series)
    url = series.get_absolute_url()
    assert "旧的简介。" in cached(client, url)
    series.intro = "新的简介。"
    series.save()
    assert "新的简介。" in next_read(client, url)


def test_a_series_credit(client):
    series = SeriesFactory(name="百千万")
    ArticleFactory(series=series)
    url = series.get_absolute_url()
    assert ">五邑传媒<" not in cached(client, url)
    credit = CreditFactory(series=series, role="出品", contributor=ContributorFactory(name="五邑传媒"))
    assert ">五邑传媒<" in next_read(client, url)
    credit.delete()
    assert ">五邑传媒<" not in next_read(client, url)


def test_a_series_parent(client):
    issue, column = SeriesFactory(name="奋进"), SeriesFactory(name="百千万")
    article = ArticleFactory(series=column)
    urls = [issue.get_absolute_url(), column.get_absolute_url(), article.get_absolute_url(), "/"]
    for url in urls:
        cached(client, url)
    column.parent = issue
    column.save()
    for url in urls:
        next_read(client, url)


def test_a_series_cover(client, media):
    series = SeriesFactory(name="百千万")
    url = series.get_absolute_url()
    assert "<figure" not in cached(client, url)
    series.cover = ImageFactory(caption="潭江夜色")
    series.save()
    assert "潭江夜色" in next_read(client, url)


def test_a_contributor_renamed(client):
    article = ArticleFactory()
    zhao = ContributorFactory(name="赵可义")
    BylineFactory(article=article, contributor=zhao)
    url = article.get_absolute_url()
    assert ">赵可义<" in cached(client, url)
    zhao.name = "赵可意"
    zhao.save()
    assert ">赵可意<" in next_read(client, url)


def test_a_picture_caption_and_credit(client, media):
    picture = ImageFactory(caption="旧的图片说明")
    article = ArticleFactory(cover=picture)
    url = article.get_absolute_url()
    assert "旧的图片说明" in cached(client, url)
    picture.caption = "新的图片说明"
    picture.save()
    assert "新的图片说明" in next_read(client, url)
    picture.credit = ContributorFactory(name="李华")
    picture.save()
    assert "李华 摄" in next_read(client, url)


def test_a_byline_added_and_removed(client):
    article = ArticleFactory()
    url = article.get_absolute_url()
    assert ">王芳<" not in cached(client, url)
    byline = BylineFactory(article=article, contributor=ContributorFactory(name="王芳"), role="通讯员")
    assert ">王芳<" in next_read(client, url)
    byline.delete()
    assert ">王芳<" not in next_read(client, url)


def test_an_article_credit(client):
    article = ArticleFactory()
    url = article.get_absolute_url()
    assert ">陈东<" not in cached(client, url)
    CreditFactory(article=article, role="责任编辑", contributor=ContributorFactory(name="陈东"))
    assert ">陈东<" in next_read(client, url)


# --- the clock: scheduled times pass with nobody writing --------------------------------

TEN_AM = datetime(2026, 11, 28, 10, 0, tzinfo=BEIJING)


def test_a_scheduled_article_appears_when_its_time_comes(client, backend):
    with time_machine.travel(TEN_AM, tick=False) as clock:
        ArticleFactory(title="已经发布的稿件", publish_at=TEN_AM - timedelta(hours=1))
        ArticleFactory(title="定时发布的稿件", publish_at=TEN_AM + timedelta(hours=1))
        html = cached(client, "/")
        assert "已经发布的稿件" in html and "定时发布的稿件" not in html
        clock.shift(timedelta(minutes=59))
        assert read(client, "/")[HEADER] == "hit"  # nothing has changed yet
        clock.shift(timedelta(minutes=1))
        assert "定时发布的稿件" in next_read(client, "/")


def test_an_expired_article_goes_when_its_time_comes(client, backend):
    with time_machine.travel(TEN_AM, tick=False) as clock:
        article = ArticleFactory(title="限时的稿件", publish_at=TEN_AM - timedelta(days=1))
        article.expire_at = TEN_AM + timedelta(hours=2)
        article.save()
        assert "限时的稿件" in cached(client, "/")
        assert "限时的稿件" in cached(client, article.get_absolute_url())
        clock.shift(timedelta(hours=2))
        assert "限时的稿件" not in next_read(client, "/")
        assert client.get(article.get_absolute_url()).status_code == 404


def test_scheduled_times_beyond_what_the_version_remembers(client, monkeypatch, django_assert_num_queries):
    """Only ``SCHEDULE_LIMIT`` times are kept; past the last one the schedule
    is read again from the database, once."""
    monkeypatch.setattr(version, "SCHEDULE_LIMIT", 2)
    with time_machine.travel(TEN_AM, tick=False) as clock:
        for hour in (1, 2, 3):
            ArticleFactory(title=f"{hour}点的稿件", publish_at=TEN_AM + timedelta(hours=hour))
        version.refresh()  # what the transaction's commit does
        assert version.current().stamp.horizon == (TEN_AM + timedelta(hours=2)).timestamp()
        assert "1点的稿件" not in cached(client, "/")
        for hour in (1, 2, 3):
            clock.shift(timedelta(hours=1))
            html = next_read(client, "/")
            assert f"{hour}点的稿件" in html and f"{hour + 1}点的稿件" not in html
            with django_assert_num_queries(0):
                assert read(client, "/")[HEADER] == "hit"


def test_the_schedule_is_exactly_when_public_pages_change_by_themselves():
    """``scheduled_changes`` restates for the clock what ``published()`` and the
    Google News sitemap's window do: between two of its times both stay the
    same, to the microsecond (a time too many would only cost a cache miss; a
    time missing would be a stale page). Fails by name if either learns
    another rule that depends on time."""
    from articles.sitemaps import NewsSitemap

    def public():
        return set(Article.objects.published().values_list("pk", flat=True))

    def news():
        return {item["slug"] for item in NewsSitemap().items()}

    hour, tick = timedelta(hours=1), timedelta(microseconds=1)
    with time_machine.travel(TEN_AM, tick=False) as clock:
        ArticleFactory(publish_at=TEN_AM - 30 * hour)
        ArticleFactory(publish_at=TEN_AM + hour)
        ArticleFactory(publish_at=TEN_AM - hour, expire_at=TEN_AM + 2 * hour)
        ArticleFactory(publish_at=TEN_AM + 3 * hour, expire_at=TEN_AM + 4 * hour)
        ArticleFactory(status=Article.Status.WITHDRAWN, publish_at=TEN_AM + hour / 2)
        ArticleFactory(status=Article.Status.SECOND_REVIEW, publish_at=None)
        times, horizon = version.scheduled_changes(TEN_AM)
        assert horizon is None
        assert {TEN_AM + n * hour for n in (1, 2, 3, 4)} <= set(times)

        edges = [TEN_AM, *times, TEN_AM + 100 * hour]
        for start, end in zip(edges, edges[1:], strict=False):
            clock.move_to(start)
            at_start = (public(), news())
            clock.move_to(end - tick)
            assert (public(), news()) == at_start, start
            if end in {TEN_AM + n * hour for n in (1, 2, 3, 4)}:
                clock.move_to(end)
                assert public() != at_start[0], end


def test_an_article_leaves_the_news_sitemap_two_days_on(client):
    with time_machine.travel(TEN_AM, tick=False) as clock:
        article = ArticleFactory(publish_at=TEN_AM - timedelta(days=2) + timedelta(minutes=5))
        assert article.slug in cached(client, "/sitemap-news.xml")
        clock.shift(timedelta(minutes=5))
        assert read(client, "/sitemap-news.xml")[HEADER] == "hit"
        clock.shift(timedelta(microseconds=1))
        assert article.slug not in next_read(client, "/sitemap-news.xml")


# --- versions seen by every process, changed again at commit -------------------------------


def test_a_change_made_by_another_process_is_seen(client, backend, tmp_path):
    article = ArticleFactory()
    url = article.get_absolute_url()
    cached(client, url)
    env = {**os.environ, "NEWSROOM_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    env["CACHE_URL"] = REDIS_URL if backend == "redis" else ""
    script = "import django; django.setup(); from pagecache import version; version.touch()"
    subprocess.run([sys.executable, "-c", script], env=env, cwd=settings.BASE_DIR, check=True)
    assert read(client, url)[HEADER] == "miss"


def test_the_version_changes_again_when_the_write_commits(django_capture_on_commit_callbacks):
    """Between a write and its commit, another process may render the page
    from what was there before and keep it under the version of the moment:
    the commit must move the version on again."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ArticleFactory()
        during = version.current().key
    assert len(callbacks) == 1  # once per transaction, however many rows it writes
    assert version.current().key != during


# --- never cached ----------------------------------------------------------------------


def test_staff_are_never_served_from_the_cache_nor_fill_it(client, client_for, staff):
    article = ArticleFactory(title="公开的稿件")
    draft = ArticleFactory(title="还在写的稿件", draft=True, series=article.series)
    editor = client_for(staff.editor)
    cached(client, article.get_absolute_url())
    for url in ("/", article.get_absolute_url(), article.series.get_absolute_url()):
        response = editor.get(url)
        assert response.status_code == 200 and HEADER not in response, url
    assert read(client, "/")[HEADER] == "miss"  # the editor's visit left nothing behind
    preview = editor.get(draft.get_absolute_url())
    assert "预览" in preview.content.decode() and HEADER not in preview
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_signed_preview_links_are_never_cached(client):
    draft = ArticleFactory(title="待审的稿件", draft=True)
    url = preview_url(draft)
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200 and "待审的稿件" in response.content.decode()
        assert HEADER not in response and "no-store" in response["Cache-Control"]


def test_staff_and_private_addresses_are_never_cached(client, staff):
    draft = ArticleFactory(draft=True)
    for url in (reverse("admin:index"), reverse("admin:login"), reverse("ckeditor_upload"), preview_url(draft)):
        assert url.startswith(NEVER_CACHED), url
    assert HEADER not in client.get(reverse("admin:login"))


@pytest.mark.parametrize(
    "url", ["/test/cookie/", "/test/private/", "/test/vary-user-agent/", "/test/not-found/", "/test/redirect/"]
)
def test_responses_that_are_not_for_everyone_are_not_kept(client, settings, url):
    settings.ROOT_URLCONF = "tests.pagecache.urls"
    first, second = client.get(url), client.get(url)
    assert first.content != second.content
    assert HEADER not in first and HEADER not in second


def test_a_streamed_response_is_not_kept(client, settings):
    settings.ROOT_URLCONF = "tests.pagecache.urls"
    first, second = client.get("/test/streaming/"), client.get("/test/streaming/")
    assert b"".join(first.streaming_content) != b"".join(second.streaming_content)


def test_a_plain_page_is_kept(client, settings):
    settings.ROOT_URLCONF = "tests.pagecache.urls"
    assert cached(client, "/test/counter/")


def test_a_reader_with_a_message_waiting_is_not_served_from_the_cache(client):
    ArticleFactory()
    cached(client, "/")
    client.cookies[getattr(settings, "MESSAGE_COOKIE_NAME", "messages")] = "anything"
    assert HEADER not in client.get("/")


# --- conditional GET -------------------------------------------------------------------


def test_if_none_match_gets_304_until_the_page_changes(client, backend):
    article = ArticleFactory(title="甲稿")
    url = article.get_absolute_url()
    first = read(client, url)
    etag = first["ETag"]
    assert "no-cache" in first["Cache-Control"]
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == etag
    caches["pages"].clear()  # not in the cache: rendered, and still a 304
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    article.title = "乙稿"
    article.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and "乙稿" in changed.content.decode()
    assert changed["ETag"] != etag


def test_if_modified_since_gets_304_until_anything_changes(client):
    with time_machine.travel(TEN_AM, tick=False) as clock:
        article = ArticleFactory(title="甲稿")
        url = article.get_absolute_url()
        # A version younger than a second has no Last-Modified: a second change
        # within the same second would carry the same date.
        assert "Last-Modified" not in read(client, url)
        clock.shift(timedelta(seconds=5))
        first = read(client, url)
        assert first["Last-Modified"] == http_date(TEN_AM.timestamp())
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
        article.title = "乙稿"
        article.save()
        clock.shift(timedelta(seconds=5))
        changed = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert changed.status_code == 200 and "乙稿" in changed.content.decode()
        assert changed["Last-Modified"] == http_date((TEN_AM + timedelta(seconds=5)).timestamp())


# --- the search page follows the search index -------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_search_page_follows_the_index_not_only_the_database(client, search_index):
    """The index is written after the commit, or later when it was busy (a
    queued change): the search page must not keep results from before."""
    from django.apps import apps

    from search.indexing import sync_articles

    ArticleFactory(title="江门侨乡")  # the index exists
    processor = apps.get_app_config("haystack").signal_processor
    processor.teardown()  # as when the index was busy: the change waits
    try:
        article = ArticleFactory(title="开平碉楼申遗记")
    finally:
        processor.setup()
    url = "/search/?q=碉楼"
    assert article.get_absolute_url() not in cached(client, url)
    sync_articles({article.pk})
    assert article.get_absolute_url() in next_read(client, url)


def test_search_pages_are_not_cached_with_an_index_elsewhere(client, settings):
    """Only the embedded index's state can be read for free; with Solr
    the results could change without the key knowing."""
    ArticleFactory(title="江门侨乡")
    settings.HAYSTACK_CONNECTIONS = {
        "default": {"ENGINE": "search.solr.ChineseSolrEngine", "URL": "http://127.0.0.1:9/"}
    }
    assert HEADER not in client.get("/search/?q=江门")
    assert HEADER not in client.get("/search/?q=江门")


def test_a_host_not_allowed_is_refused_as_without_the_cache(client):
    ArticleFactory()
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400
