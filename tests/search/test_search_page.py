"""The search page as a reader meets it: results, highlights, paging, sorting,
filters, hostile input, and what must never be found."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from haystack import connections

from articles import services
from articles.models import Article
from search.query import parse
from search.results import matching
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CreditFactory,
    SeriesFactory,
    not_public_states,
)

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
    # A NUL byte is refused before the search runs (newsroom/middleware.py), with a message.
    assert response.status_code == (400 if "\x00" in query else 200)
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


def test_in_the_second_an_article_expires_or_goes_live_the_total_counts_what_is_listed(client, search_index):
    """The index compares times to the microsecond, as the database does: an
    article that expired, or goes live, earlier or later in the same second
    is neither listed nor counted."""
    moment = (timezone.now() + timedelta(hours=2)).replace(microsecond=500_000)
    ArticleFactory(title="刚下线的侨乡稿", expire_at=moment - timedelta(milliseconds=200))
    ArticleFactory(title="还在线的侨乡稿", expire_at=moment + timedelta(milliseconds=200))
    ArticleFactory(title="就要发布的侨乡稿", publish_at=moment + timedelta(milliseconds=200))
    with time_machine.travel(moment, tick=False):
        html = results(client, q="侨乡")
        # What the index answers, before the database has its say on the page's hits:
        # the total of a search whose other pages are never loaded.
        in_index = matching(parse("侨乡")).count()
    assert "还在线的侨乡稿" in html and "刚下线的侨乡稿" not in html and "就要发布的侨乡稿" not in html
    assert "找到 1 篇" in html
    assert in_index == 1


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


# --- why each result matched: names, kicker, summary, source ----------------------


def hit_html(client, query, **params) -> str:
    html = results(client, q=query, marks=True, **params)
    assert html.count('<li class="search-result') == 1, query
    return html[html.index('<li class="search-result') : html.index("</li>")]


def test_a_byline_name_that_matched_is_marked_in_the_byline(client, search_index):
    article = ArticleFactory(title="鹤山见成效", body="<p>正文不提作者。</p>")
    author = ContributorFactory(name="赵可义")
    BylineFactory(article=article, contributor=author, role="文")
    BylineFactory(article=article, contributor=ContributorFactory(name="李华"), role="图")
    hit = hit_html(client, "赵可义")
    byline = hit[hit.index('<span class="byline">') :]
    assert f'<a href="{author.get_absolute_url()}"><mark>赵可义</mark></a>' in byline
    assert ">李华</a>" in byline  # the other name shown, unmarked
    assert 'class="search-snippet">正文不提作者。' in hit  # no match in the body: its opening
    assert "<mark>" not in hit_html(client, "鹤山").split('<span class="byline">')[1]


def test_a_credit_name_that_matched_is_shown_marked_and_the_others_are_not(client, search_index):
    special = SeriesFactory(name="奋进")
    article = ArticleFactory(title="稿件", series=SeriesFactory(name="百千万", parent=special))
    CreditFactory(article=article, contributor=ContributorFactory(name="王编辑"), role="责任编辑")
    CreditFactory(article=article, contributor=ContributorFactory(name="张校对"), role="校对")
    CreditFactory(series=special, contributor=ContributorFactory(name="傅总策"), role="总策划")
    hit = hit_html(client, "王编辑")
    assert '<span class="credit-role">责任编辑</span>：<a href="/contributors/' in hit
    assert "<mark>王编辑</mark></a>" in hit
    assert "张校对" not in hit and "傅总策" not in hit  # credits are shown when they explain the hit
    hit = hit_html(client, "傅总策")  # the special issue's credit, printed on the article
    assert "总策划</span>：" in hit and "<mark>傅总策</mark>" in hit and "王编辑" not in hit
    assert 'class="credits"' not in hit_html(client, "稿件")


def test_kicker_subtitle_summary_and_source_are_shown_marked(client, search_index):
    ArticleFactory(
        title="标题",
        kicker="侨乡新貌·开平",
        subtitle="碉楼申遗二十年",
        summary="开平碉楼\n成为世界遗产。",
        source="南方日报",
        body="<p>正文。</p>",
    )
    hit = hit_html(client, "开平")
    assert '<p class="article-item-kicker">侨乡新貌·<mark>开平</mark></p>' in hit
    assert '<p class="search-summary"><mark>开平</mark>碉楼成为世界遗产。</p>' in hit  # lines run on
    assert "search-snippet" not in hit  # the body has no match: the summary says enough
    hit = hit_html(client, "碉楼")
    assert '<p class="search-result-subtitle"><mark>碉楼</mark>申遗二十年</p>' in hit
    assert "来源：<mark>南方日报</mark>" in hit_html(client, "南方日报")


def test_a_special_issue_is_searchable_and_filters_its_columns(client, search_index):
    special = SeriesFactory(name="奋进")
    ArticleFactory(title="专栏里的江门", series=SeriesFactory(name="百千万", parent=special))
    ArticleFactory(title="别处的江门", series=SeriesFactory(name="民生"))
    hit = hit_html(client, "奋进")
    assert f'href="{special.get_absolute_url()}"><mark>奋进</mark></a> · ' in hit and ">百千万</a>" in hit
    html = results(client, q="江门", series=special.slug)
    assert "专栏里的江门" in html and "别处的江门" not in html
    assert '<option value="bai-qian-wan">　百千万</option>' in html  # the column under its special issue


def test_names_and_fields_are_escaped_around_the_marks(client, search_index):
    article = ArticleFactory(title="稿件", kicker="<i>引题</i>", summary="<b>摘要</b>")
    BylineFactory(article=article, contributor=ContributorFactory(name="<b>赵</b>可义"))
    hit = hit_html(client, "可义")
    assert "&lt;b&gt;赵&lt;/b&gt;<mark>可义</mark>" in hit
    hit = hit_html(client, "引题 摘要")
    assert "&lt;i&gt;<mark>引题</mark>&lt;/i&gt;" in hit and "&lt;b&gt;<mark>摘要</mark>&lt;/b&gt;" in hit
    assert "<b>" not in hit and "<i>" not in hit


# --- snippets keep Chinese text joined ----------------------------------------------


def test_snippets_join_chinese_paragraphs_without_a_space(client, search_index):
    ArticleFactory(title="稿件", body="<p>第一段讲江门。</p><p>第二段讲侨乡</p><p>第三段。</p>")
    hit = hit_html(client, "侨乡")
    assert 'class="search-snippet">第一段讲江门。第二段讲<mark>侨乡</mark>第三段。</p>' in hit


def test_snippets_keep_the_space_between_latin_words(client, search_index):
    ArticleFactory(title="稿件", body="<p>Jiangmen grows fast</p><p>GDP rises 5%</p>")
    assert "Jiangmen grows fast <mark>GDP</mark> rises 5%" in hit_html(client, "GDP")


def test_skipped_text_is_shown_as_an_ellipsis(client, search_index):
    filler = "甲乙丙丁戊己庚辛壬癸" * 20
    ArticleFactory(title="稿件", body=f"<p>{filler}江门{filler}</p><p>{filler}侨乡{filler}</p>")
    hit = hit_html(client, "江门 侨乡")
    snippet = hit[hit.index('class="search-snippet">') :]
    assert snippet.startswith('class="search-snippet">…') and snippet.endswith("…</p>\n    ")
    first, second = snippet.split(" … ")  # one skip between the two places, each term shown
    assert "<mark>江门</mark>" in first and "<mark>侨乡</mark>" in second


# --- one search form -----------------------------------------------------------------


@pytest.mark.parametrize("params", [{}, {"q": "江门"}, {"q": "江门", "sort": "date", "series": "bai-qian-wan"}])
def test_the_search_page_has_one_search_form_the_mastheads(client, search_index, params):
    ArticleFactory(title="江门", series=SeriesFactory(name="百千万"))
    html = results(client, **params)
    assert html.count("<form") == 1 and html.count('role="search"') == 1 and html.count('name="q"') == 1
    masthead = html[html.index("<header") : html.index("</header>")]
    form_id = re.search(r'<form [^>]*id="([^"]+)"[^>]*role="search"', masthead).group(1)
    assert f'name="q" value="{params.get("q", "")}"' in masthead  # the box carries the query
    # The filter and the sort below the heading belong to that form, showing the current choice.
    assert f'<select name="series" form="{form_id}"' in html and f'<select name="sort" form="{form_id}"' in html
    if "series" in params:
        assert '<option value="bai-qian-wan" selected>' in html and '<option value="date" selected>' in html


def test_the_masthead_box_carries_the_query_escaped(client, search_index):
    html = results(client, q='"><script>x</script>')
    masthead = html[html.index("<header") : html.index("</header>")]
    assert 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in masthead


# --- a results page costs the same whatever its number -------------------------------


def test_any_results_page_is_one_search_and_a_fixed_number_of_queries(
    client, search_index, monkeypatch, django_assert_num_queries
):
    column = SeriesFactory(name="百千万", parent=SeriesFactory(name="奋进"))
    for n in range(45):
        article = ArticleFactory(title=f"江门新闻第{n}条", series=column)
        BylineFactory(article=article)
        CreditFactory(article=article)
    backend = connections["default"].get_backend()
    searches = []
    original = type(backend).search
    monkeypatch.setattr(type(backend), "search", lambda self, *a, **k: searches.append(1) or original(self, *a, **k))
    for params in [{}, {"page": 2}, {"page": 3}, {"sort": "date", "page": 3}, {"series": "fen-jin", "page": 2}]:
        searches.clear()
        # the series (the filter's list), then the page's articles, their bylines, and the
        # credits of the articles, their columns and special issues in one statement
        with django_assert_num_queries(4):
            html = results(client, q="江门", **params)
        assert len(searches) == 1, params
        assert "找到 45 篇" in html
    searches.clear()
    assert "没有找到" in results(client, q="火星基地")
    assert len(searches) == 1  # no hits: still one search
    assert results(client, q="江门", page=3).count('<li class="search-result') == 5
