"""Special issues (专刊) and their columns (栏目): their pages, and their
blocks and counts on the home page."""

import pytest
from django.core.management import call_command

from articles.models import Article, Series
from articles.views import SeriesDetailView
from tests.factories import ArticleFactory, ContributorFactory, CreditFactory, SeriesFactory, not_public_states
from tests.pages import text, texts

pytestmark = pytest.mark.django_db

NOT_PUBLIC = not_public_states()


@pytest.fixture
def special_issue():
    special = SeriesFactory(name="奋进", intro="江门日报专刊。")
    for role, name in [("总策划", "傅健"), ("总策划", "曹乃付"), ("出品人", "张永源"), ("出品", "江门日报社")]:
        CreditFactory(series=special, role=role, contributor=ContributorFactory(name=name))
    bai = SeriesFactory(name="百千万", parent=special)
    qiao = SeriesFactory(name="侨乡", parent=special)
    ArticleFactory(series=bai, title="百千万之二", series_position=2)
    ArticleFactory(series=bai, title="百千万之一", series_position=1)
    ArticleFactory(series=qiao, title="侨乡之一")
    ArticleFactory(series=special, title="专刊导语")
    return special


def test_special_issue_page_shows_intro_credits_columns_and_its_own_articles(client, special_issue):
    html = client.get(special_issue.get_absolute_url()).content.decode()
    assert html.count("<h1") == 1 and "<h1>奋进</h1>" in html
    assert text(html, "kicker") == "专刊"
    assert text(html, "series-count") == "共 4 篇"
    assert "江门日报专刊。" in html
    assert text(html, "credits") == "总策划：傅健 曹乃付　出品人：张永源　出品：江门日报社"
    assert texts(html, "series-column-title") == ["百千万 2 篇", "侨乡 1 篇", "本刊文章 1 篇"]
    blocks = [texts(block, "article-item-title") for block in _blocks(html)]
    assert blocks == [["百千万之一", "百千万之二"], ["侨乡之一"], ["专刊导语"]]  # the editors' order


def _blocks(html: str) -> list[str]:
    parts = html.split('<section class="series-column"')[1:]
    return [part.split("</section>")[0] for part in parts]


def test_special_issue_page_leaves_out_what_is_not_public(client, special_issue):
    bai = Series.objects.get(name="百千万")
    for state in NOT_PUBLIC.values():
        ArticleFactory(series=bai, title="不该公开的稿件", **state)
    ArticleFactory(series=SeriesFactory(name="空栏目", parent=special_issue), draft=True)
    html = client.get(special_issue.get_absolute_url()).content.decode()
    assert "不该公开的稿件" not in html
    assert "空栏目" not in html  # a column with nothing public is no block
    assert texts(html, "series-column-title") == ["百千万 2 篇", "侨乡 1 篇", "本刊文章 1 篇"]


def test_a_special_issue_pages_through_its_columns(client, special_issue, monkeypatch):
    monkeypatch.setattr(SeriesDetailView, "paginate_by", 2)
    first = client.get(special_issue.get_absolute_url()).content.decode()
    second = client.get(special_issue.get_absolute_url() + "?page=2").content.decode()
    assert texts(first, "series-column-title") == ["百千万 2 篇"]
    assert texts(second, "series-column-title") == ["侨乡 1 篇", "本刊文章 1 篇"]
    assert text(second, "series-count") == "共 4 篇"


def test_column_page_names_its_special_issue_and_shows_both_credit_lines(client, special_issue):
    column = Series.objects.get(name="百千万")
    CreditFactory(series=column, role="统筹", contributor=ContributorFactory(name="陈东"))
    html = client.get(column.get_absolute_url()).content.decode()
    assert text(html, "series-parent") == "奋进 · 栏目"
    assert f'<a href="{special_issue.get_absolute_url()}">奋进</a>' in html
    assert text(html, "credits") == "统筹：陈东　总策划：傅健 曹乃付　出品人：张永源　出品：江门日报社"
    assert texts(html, "article-item-title") == ["百千万之一", "百千万之二"]
    assert 'class="series-column"' not in html


def test_a_plain_series_is_a_专题(client):
    series = SeriesFactory(name="侨乡观察")
    ArticleFactory(series=series, title="一篇")
    html = client.get(series.get_absolute_url()).content.decode()
    assert text(html, "kicker") == "专题" and 'class="series-parent"' not in html
    assert texts(html, "article-item-title") == ["一篇"]


def test_an_empty_series_says_so(client):
    html = client.get(SeriesFactory(name="新栏目").get_absolute_url()).content.decode()
    assert "还没有文章" in html and text(html, "series-count") == "共 0 篇"


def test_home_counts_a_special_issues_columns(client, special_issue):
    html = client.get("/").content.decode()
    blocks = texts(html, "block-title")
    assert blocks == ["奋进 4 篇"]
    assert texts(html, "column-title") == ["侨乡 1 篇", "百千万 2 篇"]  # the most recently active first


def test_home_blocks_name_the_latest_few_of_each_series(client):
    series = SeriesFactory(name="侨乡观察")
    for n in range(5):
        ArticleFactory(series=series, title=f"第{n}篇")  # later ones are newer
    ArticleFactory(series=series, title="不该公开的稿件", draft=True)
    ArticleFactory(series=SeriesFactory(name="空专题"), draft=True)
    html = client.get("/").content.decode()
    assert texts(html, "block-title") == ["侨乡观察 5 篇"]
    block = text(html, "series-block")
    assert "第4篇" in block and "第2篇" in block and "第1篇" not in block
    assert "不该公开的稿件" not in html and "空专题" not in html


def test_the_real_seed_special_issue_counts_its_column(client, real_seed):
    call_command("load_seeds", str(real_seed), verbosity=0)
    fenjin = Series.objects.get(name="奋进")
    Series.objects.filter(name="百千万").update(parent=fenjin)
    article = Article.objects.get()
    home = client.get("/").content.decode()
    assert texts(home, "block-title") == ["奋进 1 篇"]
    assert texts(home, "column-title") == ["百千万 1 篇"]
    page = client.get(fenjin.get_absolute_url()).content.decode()
    assert "还没有文章" not in page
    assert article.title in text(page, "series-column")
    assert text(page, "credits").startswith("总策划：傅健 曹乃付")
