"""The article page's furniture, as a reader of the paper expects it: 引题,
副题, 导语, 来源, 版次 and 刊发日期, bylines and credits as printed, where the
article sits in its series, and what to read next."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Series
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CreditFactory,
    SeriesFactory,
    not_public_states,
)
from tests.helpers.repo import REAL_SEED_SERIES_CREDITS
from tests.pages import text, texts

pytestmark = pytest.mark.django_db

NOT_PUBLIC = not_public_states()


def page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_kicker_subtitle_summary_source_print_line_and_time(client):
    article = ArticleFactory(
        title="以“头号力度”拼出“头号工程”新图景",
        kicker="奋进·百千万",
        subtitle="江门加力提速推进“百千万工程”",
        summary="战鼓催征马蹄疾，奋勇争先正当时。",
        source="南方日报",
        print_page="A05",
        print_date=dt.date(2026, 11, 28),
        publish_at=dt.datetime(2026, 11, 27, 16, 30, tzinfo=dt.UTC),
    )
    html = page(client, article)
    header = html[html.index('class="article-header"') :]
    # 引题 above the headline, 副题 below it.
    assert (
        header.index('class="article-kicker">奋进·百千万<')
        < header.index("<h1>")
        < header.index('class="subtitle">江门加力提速推进“百千万工程”<')
    )
    assert text(html, "article-summary") == "战鼓催征马蹄疾，奋勇争先正当时。"
    assert text(html, "article-source") == "来源：南方日报"
    assert text(html, "print-line") == "2026年11月28日 A05版"
    assert 'href="/archive/2026/11/28/"><time datetime="2026-11-28">' in html
    assert '<time class="publish-time" datetime="2026-11-28T00:30:00+08:00">2026年11月28日 00:30</time>' in html


def test_without_the_optional_fields_nothing_is_printed_for_them(client):
    html = page(client, ArticleFactory(body="<p>正文的开头。</p>", series=None))
    for css_class in ("article-kicker", "subtitle", "article-summary", "article-source", "print-line", "credits"):
        assert f'class="{css_class}"' not in html, css_class
    main = html[html.index("<main") :]
    assert main.count("正文的开头。") == 1  # in the text only: the abstract is no 导语


@pytest.mark.parametrize(
    ("bylines", "printed"),
    [
        ([("文", "赵可义"), ("图", "李华")], "文/赵可义　图/李华"),
        ([("记者", "李明"), ("通讯员", "王芳")], "记者 李明　通讯员 王芳"),
        ([("记者", "李明"), ("记者", "王芳"), ("通讯员", "赵六")], "记者 李明 王芳　通讯员 赵六"),
        ([("记者", "李明"), ("摄", "李明")], "记者 李明　李明 摄"),
        ([("", "赵可义")], "赵可义"),
    ],
    ids=["slash", "space", "shared-role", "postfix", "no-role"],
)
def test_bylines_read_as_the_paper_prints_them(client, bylines, printed):
    article = ArticleFactory()
    for role, name in bylines:
        BylineFactory(article=article, role=role, contributor=ContributorFactory(name=name))
    html = page(client, article)
    assert text(html, "byline") == printed
    for _, name in bylines:
        slug = article.bylines.get(contributor__name=name, role=_).contributor.slug
        assert f'<a href="/contributors/{slug}/">{name}</a>' in html


@pytest.fixture
def script_prefix():
    """A site served under /news/, then back to /."""
    from django.urls import set_script_prefix

    yield set_script_prefix
    set_script_prefix("/")


def test_a_byline_escapes_names_and_roles_but_keeps_marked_matches(script_prefix):
    from django.utils.safestring import mark_safe

    from articles.templatetags.byline_tags import byline

    article = ArticleFactory()
    hostile = BylineFactory(
        article=article, role="<b>记者</b>", contributor=ContributorFactory(name='"<script>x</script>')
    )
    html = byline(article.bylines.all())
    assert '<span class="byline-role">&lt;b&gt;记者&lt;/b&gt;</span>' in html
    assert f'<a href="/contributors/{hostile.contributor.slug}/">&quot;&lt;script&gt;x&lt;/script&gt;</a>' in html
    hostile.contributor.name = mark_safe("<mark>赵可义</mark>")  # as search marks a match
    script_prefix("/news/")
    assert byline([hostile]) == (
        '<span class="byline"><span class="byline-group"><span class="byline-role">&lt;b&gt;记者&lt;/b&gt;</span> '
        f'<a href="/news/contributors/{hostile.contributor.slug}/"><mark>赵可义</mark></a></span></span>'
    )


@pytest.fixture
def seeded(real_seed):
    """The real seed, with 百千万 a column of 奋进 (the loader's special-issue rule)."""
    call_command("load_seeds", str(real_seed), verbosity=0)
    Series.objects.filter(name="百千万").update(parent=Series.objects.get(name="奋进"))
    return Article.objects.get()


def test_the_real_seed_article_shows_its_special_issues_credits_as_the_paper_does(client, seeded):
    html = page(client, seeded)
    expected = {}
    for role, name in REAL_SEED_SERIES_CREDITS:
        expected.setdefault(role, []).append(name)
    assert text(html, "credits") == "　".join(f"{role}：{' '.join(names)}" for role, names in expected.items())
    assert text(html, "credits") == "总策划：傅健 曹乃付 王平强 王鼎强 赵可义 毕松杰　出品人：张永源　出品：江门日报社"
    assert text(html, "byline") == "赵可义"
    assert text(html, "kicker").startswith("奋进 · 百千万")
    assert 'href="/series/fen-jin/">奋进</a>' in html


def test_credits_run_from_the_article_to_its_series_to_the_special_issue(client):
    special = SeriesFactory(name="奋进")
    column = SeriesFactory(name="百千万", parent=special)
    article = ArticleFactory(series=column)
    fu, zhao, chen, paper = (ContributorFactory(name=n) for n in ("傅健", "赵可义", "陈东", "江门日报社"))
    CreditFactory(series=special, role="总策划", contributor=fu)
    CreditFactory(series=special, role="出品", contributor=paper)
    CreditFactory(series=special, role="总策划", contributor=zhao)  # also the column's: named once
    CreditFactory(series=column, role="总策划", contributor=zhao)
    CreditFactory(series=column, role="统筹", contributor=chen)
    CreditFactory(article=article, role="责任编辑", contributor=chen)
    html = page(client, article)
    assert text(html, "credits") == "责任编辑：陈东　总策划：赵可义 傅健　统筹：陈东　出品：江门日报社"
    assert html.count('class="credits"') == 1


def place(html) -> tuple[str, str, str]:
    nav = html[html.index('class="series-nav"') :] if 'class="series-nav"' in html else ""
    previous = text(nav, "series-prev").removeprefix("上一篇")
    following = text(nav, "series-next").removeprefix("下一篇")
    return text(html, "series-position"), previous, following


def test_place_in_the_series_in_the_editors_order(client):
    series = SeriesFactory(name="百千万")
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    # Editors' order: position, then publication, then id.
    third = ArticleFactory(series=series, title="三", series_position=2, publish_at=now)
    first = ArticleFactory(series=series, title="一", series_position=1, publish_at=now + dt.timedelta(days=1))
    second = ArticleFactory(series=series, title="二", series_position=1, publish_at=now + dt.timedelta(days=1))
    fourth = ArticleFactory(series=series, title="四", series_position=3, publish_at=now)
    assert first.pk < second.pk
    assert place(page(client, first)) == ("百千万 第 1 篇 / 共 4 篇", "", "二")
    assert place(page(client, second)) == ("百千万 第 2 篇 / 共 4 篇", "一", "三")
    assert place(page(client, third)) == ("百千万 第 3 篇 / 共 4 篇", "二", "四")
    assert place(page(client, fourth)) == ("百千万 第 4 篇 / 共 4 篇", "三", "")
    html = page(client, second)
    assert f'rel="prev" href="{first.get_absolute_url()}"' in html
    assert f'rel="next" href="{third.get_absolute_url()}"' in html
    assert "第 2 篇 / 共 4 篇" in text(html, "kicker")


@pytest.mark.parametrize("state", NOT_PUBLIC.values(), ids=NOT_PUBLIC.keys())
def test_place_counts_and_links_only_public_articles(client, state):
    series = SeriesFactory(name="百千万")
    first = ArticleFactory(series=series, title="一", series_position=1)
    ArticleFactory(series=series, title="不该公开的稿件", series_position=2, **state)
    middle = ArticleFactory(series=series, title="三", series_position=3)
    ArticleFactory(series=series, title="四", series_position=4)
    html = page(client, middle)
    assert place(html) == ("百千万 第 2 篇 / 共 3 篇", "一", "四")
    assert "不该公开的稿件" not in html
    assert place(page(client, first))[0] == "百千万 第 1 篇 / 共 3 篇"


def test_an_article_outside_any_series_has_no_place(client):
    html = page(client, ArticleFactory(series=None))
    assert 'class="series-nav"' not in html and "第 1 篇" not in html


def test_an_article_outside_any_series_suggests_its_authors_newest_public_articles(client):
    zhao = ContributorFactory(name="赵可义")
    now = timezone.now()
    article = ArticleFactory(series=None, title="本文")
    BylineFactory(article=article, contributor=zhao)
    for title, days, extra in [("较早", 3, {}), ("较新", 1, {}), ("草稿", 0, {"draft": True})]:
        other = ArticleFactory(title=title, publish_at=now - dt.timedelta(days=days), **extra)
        BylineFactory(article=other, contributor=zhao)
    ArticleFactory(series=None, title="无关文章")
    html = page(client, article)
    assert texts(html[html.index('class="related"') :], "article-item-title") == ["较新", "较早"]


def test_related_articles_same_series_first_then_shared_authors(client):
    series, elsewhere = SeriesFactory(name="百千万"), SeriesFactory(name="侨乡")
    zhao = ContributorFactory(name="赵可义")
    now = timezone.now()
    in_series = {n: ArticleFactory(series=series, title=f"同栏{n}", series_position=n) for n in range(1, 7)}
    article = in_series[3]
    BylineFactory(article=article, contributor=zhao)
    older = ArticleFactory(series=elsewhere, title="同作者较早", publish_at=now - dt.timedelta(days=2))
    newer = ArticleFactory(series=elsewhere, title="同作者较新", publish_at=now - dt.timedelta(days=1))
    hidden = ArticleFactory(series=series, title="不该公开的稿件", series_position=4, draft=True)
    for other in (older, newer, hidden, in_series[5]):
        BylineFactory(article=other, contributor=zhao)
    ArticleFactory(series=elsewhere, title="无关文章")
    html = page(client, article)
    assert place(html) == ("百千万 第 3 篇 / 共 6 篇", "同栏2", "同栏4")
    # The nearest in the series after the two linked above (同栏5 once, though also zhao's),
    # then zhao's newest first.
    assert texts(html[html.index('class="related"') :], "article-item-title") == [
        "同栏1",
        "同栏5",
        "同栏6",
        "同作者较新",
        "同作者较早",
    ]


def test_related_articles_are_a_handful(client):
    series = SeriesFactory(name="百千万")
    article = ArticleFactory(series=series, series_position=5)
    for position in range(10):
        ArticleFactory(series=series, series_position=position)
    html = page(client, article)
    assert len(texts(html[html.index('class="related"') :], "article-item-title")) == 6


def test_a_staff_preview_of_a_draft_has_no_place_but_shows_everything_else(client_for, staff):
    series = SeriesFactory(name="百千万")
    ArticleFactory(series=series, title="已发表")
    draft = ArticleFactory(series=series, title="草稿", draft=True, kicker="引题", source="新华社")
    html = page(client_for(staff.editor), draft)
    assert 'class="preview-banner"' in html
    assert 'class="series-nav"' not in html
    assert text(html, "article-kicker") == "引题" and text(html, "article-source") == "来源：新华社"
    assert texts(html, "article-item-title") == ["已发表"]
