"""The search page as a reader meets it: results, highlights, paging, sorting,
filters, hostile input, and what must never be found."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from haystack import connections

from articles import services
from articles.models import Article
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, SeriesFactory, not_public_states

# Real commits: the index is written once a transaction commits, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def results(client, *, marks=False, **params):
    """The search page's HTML; without the <mark>s unless asked, so titles read whole."""
    response = client.get("/search/", params)
    assert response.status_code == 200
    html = response.content.decode()
    return html if marks else html.replace("<mark>", "").replace("</mark>", "")


def test_the_seed_article_is_found_by_chinese_words(client, search_index, real_seed):
    call_command("load_seeds", str(real_seed), verbosity=0)  # no rebuild needed
    queries = ["江门", "鹤", "新江门", "侨乡", "百千万工程", "头号工程", "城乡区域协调发展", "GDP", "赵可义", "百千万"]
    queries += ["一项系统工程", "本质要求"]  # each split by a page break in the seed document
    for query in queries:
        html = results(client, q=query)
        assert html.count('class="search-result"') == 1, query
        assert "以“头号力度”拼出“头号工程”新图景" in html


def test_a_hit_shows_title_series_date_authors_and_a_marked_snippet(client, search_index):
    article = ArticleFactory(
        title="鹤山“百千万工程”见成效",
        series=SeriesFactory(name="百千万"),
        body="<p>鹤山市把百千万工程作为头号工程。</p>",
    )
    BylineFactory(article=article, contributor=ContributorFactory(name="赵可义"), role="记者")
    html = results(client, q="百千万工程", marks=True)
    hit = html[html.index('<li class="search-result">') :]
    assert f'href="{article.get_absolute_url()}">鹤山“<mark>百千万工程</mark>”见成效</a>' in hit
    assert ">百千万</a>" in hit and "年" in hit and ">赵可义</a>" in hit
    assert "鹤山市把<mark>百千万工程</mark>作为头号工程。" in hit


def test_overlapping_matches_are_one_mark(client, search_index):
    ArticleFactory(title="稿件", body="<p>推进百千万工程建设。</p>")
    html = results(client, q="百千万 千万工程", marks=True)
    assert "推进<mark>百千万工程</mark>建设。" in html


def test_every_term_must_occur(client, search_index):
    ArticleFactory(title="甲", body="<p>江门侨乡。</p>")
    ArticleFactory(title="乙", body="<p>江门新会。</p>")
    assert results(client, q="江门 侨乡").count('class="search-result"') == 1
    assert results(client, q="江门").count('class="search-result"') == 2


def test_title_matches_rank_first(client, search_index):
    ArticleFactory(title="综述", body="<p>" + "开平碉楼。" * 3 + "</p>", publish_at=timezone.now() - timedelta(hours=1))
    ArticleFactory(
        title="开平碉楼申遗纪实", body="<p>一段正文，提到开平碉楼。</p>", publish_at=timezone.now() - timedelta(days=3)
    )
    html = results(client, q="开平碉楼")
    assert html.index("申遗纪实") < html.index("综述")
    newest_first = results(client, q="开平碉楼", sort="date")
    assert newest_first.index("综述") < newest_first.index("申遗纪实")


def test_filter_by_series(client, search_index):
    ArticleFactory(title="百千万里的江门", series=SeriesFactory(name="百千万"))
    ArticleFactory(title="奋进中的江门", series=SeriesFactory(name="奋进"))
    html = results(client, q="江门", series="fen-jin")
    assert "奋进中的江门" in html and "百千万里的江门" not in html


def test_results_are_paginated(client, search_index):
    for n in range(23):
        ArticleFactory(title=f"江门新闻第{n}条")
    first = results(client, q="江门")
    assert first.count('class="search-result"') == 20 and "找到 23 篇" in first and "第 1 / 2 页" in first
    assert 'href="?q=%E6%B1%9F%E9%97%A8&amp;sort=date&amp;page=2" rel="next"' in results(client, q="江门", sort="date")
    assert results(client, q="江门", page=2).count('class="search-result"') == 3


@pytest.mark.parametrize("page", ["abc", "0", "-1", "3", "99999999999999999999", "1.5"])
def test_a_bad_page_number_is_404_never_500(client, search_index, page):
    ArticleFactory(title="江门")
    assert client.get("/search/", {"q": "江门", "page": page}).status_code == 404


HOSTILE = [
    "",
    "   ",
    "AND OR (",
    "title:",
    '"',
    "*",
    "江门 AND (侨乡 OR",
    "NOT 江门",
    "title:江门 body:侨乡",
    "\\",
    "江门~2 侨乡^3",
    "[a TO z]",
    "<script>alert('x')</script>",
    "%00\x00",
    "江门" * 1500,
    "😀🀄️",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_get_a_calm_page(client, search_index, query):
    ArticleFactory(title="江门侨乡", body="<p>江门侨乡。</p>")
    response = client.get("/search/", {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html
    if "<script>" in query:
        assert "&lt;script&gt;" in html


def test_a_huge_query_is_cut_and_says_so(client, search_index):
    html = results(client, q="江门" * 1500)
    assert "搜索词太长，只用了前面的部分" in html


def test_the_query_is_never_echoed_unescaped(client, search_index):
    html = results(client, q='"><b>粗体</b>')
    assert "<b>粗体</b>" not in html and "&lt;b&gt;" in html


def test_full_width_and_case_do_not_matter(client, search_index):
    ArticleFactory(title="江门GDP增长", body="<p>5G基站。</p>")
    assert "江门<mark>GDP</mark>增长" in results(client, q="ｇｄｐ", marks=True)
    assert 'class="search-result"' in results(client, q="5g")


# --- what must never be found ----------------------------------------------------


NOT_PUBLIC = not_public_states()


@pytest.mark.parametrize("state", NOT_PUBLIC.values(), ids=NOT_PUBLIC.keys())
def test_nothing_the_public_may_not_see_is_found(client, search_index, state):
    ArticleFactory(title="不该公开的碉楼稿", **state)
    ArticleFactory(title="公开的碉楼稿")
    html = results(client, q="碉楼")
    assert "公开的碉楼稿" in html and "不该公开的碉楼稿" not in html
    assert "找到 1 篇" in html


def test_a_scheduled_article_is_findable_at_its_minute_with_no_command(client, search_index, staff):
    article = ArticleFactory(title="定时发布的侨乡稿", status=Article.Status.FINAL_REVIEW, publish_at=None)
    at = timezone.now() + timedelta(hours=5)
    services.article_publish(article=article, by=staff.chief, at=at)
    with time_machine.travel(at - timedelta(minutes=1), tick=False):
        assert "定时发布的侨乡稿" not in results(client, q="侨乡")
    with time_machine.travel(at, tick=False):
        assert "定时发布的侨乡稿" in results(client, q="侨乡")


def test_an_expiring_article_leaves_search_at_its_minute(client, search_index):
    expire = timezone.now() + timedelta(hours=2)
    ArticleFactory(title="限时的侨乡稿", expire_at=expire)
    with time_machine.travel(expire - timedelta(minutes=1), tick=False):
        assert "限时的侨乡稿" in results(client, q="侨乡")
    with time_machine.travel(expire, tick=False):
        assert "限时的侨乡稿" not in results(client, q="侨乡")


def test_a_stale_index_entry_is_still_never_shown(client, search_index):
    """Even if the index missed a withdrawal, the database has the last word."""
    article = ArticleFactory(title="已撤的侨乡稿")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.WITHDRAWN)  # no signal: index untouched
    assert "已撤的侨乡稿" not in results(client, q="侨乡")


def test_a_damaged_index_gives_a_calm_page_not_a_500(client, search_index):
    ArticleFactory(title="侨乡稿")
    for segment_file in Path(search_index.path).glob("*.seg"):
        segment_file.unlink()  # the disk lost the index's data
    connections.reload("default")
    response = client.get("/search/", {"q": "侨乡"})
    assert response.status_code == 503
    assert "搜索暂时不可用" in response.content.decode()
