"""What readers see: pages, their status codes, and what each costs in queries."""

import pytest
from django.core.management import call_command

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CreditFactory,
    ImageFactory,
    SeriesFactory,
    not_public_states,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(real_seed):
    call_command("load_seeds", str(real_seed), verbosity=0)
    return Article.objects.get()


def test_article_page_from_the_real_seed(client, seeded):
    response = client.get(seeded.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "<h1>以“头号力度”拼出“头号工程”新图景</h1>" in html
    assert 'href="/contributors/zhao-ke-yi/">赵可义</a>' in html
    assert 'href="/series/bai-qian-wan/">百千万</a>' in html
    assert "“百千万工程”是一项系统工程，点多线面广" in html
    assert "<title>以“头号力度”拼出“头号工程”新图景" in html


def test_article_page_shows_byline_roles_and_credits_in_order(client):
    article = ArticleFactory(body="<p>引言。</p><h2>老屋活化 留住乡愁</h2><p>正文。</p>")
    for role, name in [("记者", "李明"), ("通讯员", "王芳"), ("摄", "李明")]:
        BylineFactory(article=article, role=role, contributor=ContributorFactory(name=name))
    for role, name in [("责任编辑", "赵可义"), ("校对", "陈东"), ("校对", "林夕")]:
        CreditFactory(article=article, role=role, contributor=ContributorFactory(name=name))
    html = client.get(article.get_absolute_url()).content.decode()
    byline = html[html.index('class="byline"') :]
    assert [byline.index(s) for s in ("记者", ">李明<", "通讯员", ">王芳<", "摄")] == sorted(
        byline.index(s) for s in ("记者", ">李明<", "通讯员", ">王芳<", "摄")
    )
    credits = html[html.index('class="credits"') :]
    positions = [credits.index(s) for s in ("责任编辑", ">赵可义<", "校对", ">陈东<", ">林夕<")]
    assert positions == sorted(positions)
    assert credits.count("<dt>校对</dt>") == 1  # one line per role
    assert "<h2>老屋活化 留住乡愁</h2>" in html


def test_series_page_shows_intro_credits_and_articles_in_editor_order(client):
    series = SeriesFactory(name="百千万", intro="江门日报专栏。")
    ArticleFactory(series=series, title="第二篇", series_position=2)
    ArticleFactory(series=series, title="第一篇", series_position=1)
    CreditFactory(series=series, role="出品", contributor=ContributorFactory(name="江门日报社"))
    html = client.get(series.get_absolute_url()).content.decode()
    assert "<h1>百千万</h1>" in html and "江门日报专栏。" in html
    assert html.index("第一篇") < html.index("第二篇")
    assert "<dt>出品</dt>" in html and ">江门日报社<" in html


def test_contributor_page_lists_each_article_once_with_their_roles(client):
    zhao = ContributorFactory(name="赵可义")
    article = ArticleFactory(title="头号工程")
    BylineFactory(article=article, contributor=zhao, role="文")
    BylineFactory(article=article, contributor=zhao, role="图")
    CreditFactory(article=article, contributor=zhao, role="责任编辑")
    CreditFactory(series=SeriesFactory(name="奋进"), contributor=zhao, role="总策划")
    ArticleFactory(title="别人的文章")
    html = client.get(zhao.get_absolute_url()).content.decode()
    assert html.count("头号工程") == 1
    assert "文、图、责任编辑" in html
    assert "奋进" in html and "总策划" in html
    assert "别人的文章" not in html


def test_home_lists_latest_articles_and_series(client, seeded):
    html = client.get("/").content.decode()
    assert "以“头号力度”拼出“头号工程”新图景" in html
    assert ">百千万</a>" in html and ">奋进</a>" in html


# --- drafts and the clock: never public ----------------------------------------

NOT_PUBLIC = not_public_states()


@pytest.mark.parametrize("state", NOT_PUBLIC.values(), ids=NOT_PUBLIC.keys())
def test_an_article_that_is_not_live_is_404_and_in_no_list(client, state):
    author = ContributorFactory(name="李明")
    hidden = ArticleFactory(title="不该公开的稿件", **state)
    BylineFactory(article=hidden, contributor=author)
    visible = ArticleFactory(title="公开的稿件", series=hidden.series)
    BylineFactory(article=visible, contributor=author)

    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 404
    assert "找不到这个页面" in response.content.decode()
    for url in ("/", hidden.series.get_absolute_url(), author.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "公开的稿件" in html, url
        assert "不该公开的稿件" not in html, url


def test_home_series_counts_only_count_public_articles(client):
    series = SeriesFactory(name="百千万")
    ArticleFactory(series=series)
    ArticleFactory(series=series, draft=True)
    assert "1 篇" in client.get("/").content.decode()


@pytest.mark.parametrize(
    "url", ["/articles/no-such-article/", "/series/no-such-series/", "/contributors/nobody/", "/nowhere/"]
)
def test_unknown_addresses_are_a_friendly_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "找不到这个页面" in response.content.decode()


def test_bad_page_number_is_404(client, seeded):
    assert client.get("/?page=abc").status_code == 404
    assert client.get("/?page=999").status_code == 404


# --- a fixed number of queries, however much a page shows ----------------------


def build_series(n_articles: int, n_people: int):
    series = SeriesFactory(name="百千万")
    people = [ContributorFactory() for _ in range(n_people)]
    for person in people:
        CreditFactory(series=series, contributor=person, role="总策划")
    articles = []
    for _ in range(n_articles):
        article = ArticleFactory(series=series)
        for person in people:
            BylineFactory(article=article, contributor=person)
            CreditFactory(article=article, contributor=person)
        articles.append(article)
    return series, people, articles


@pytest.mark.parametrize("size", [(1, 1), (6, 5)], ids=["small", "large"])
def test_article_page_queries(client, django_assert_num_queries, size):
    _, _, articles = build_series(*size)
    with django_assert_num_queries(4):  # article with series, bylines, credits, corrections
        assert client.get(articles[0].get_absolute_url()).status_code == 200


@pytest.mark.parametrize("size", [(1, 1), (6, 5)], ids=["small", "large"])
def test_series_page_queries(client, django_assert_num_queries, size):
    series, _, _ = build_series(*size)
    with django_assert_num_queries(5):  # series, its credits, count, articles, bylines
        assert client.get(series.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("size", [(1, 1), (6, 5)], ids=["small", "large"])
def test_home_page_queries(client, django_assert_num_queries, size):
    build_series(*size)
    with django_assert_num_queries(4):  # count, articles, bylines, series
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("size", [(1, 1), (6, 5)], ids=["small", "large"])
def test_contributor_page_queries(client, django_assert_num_queries, size):
    _, people, _ = build_series(*size)
    with django_assert_num_queries(6):  # contributor, count, articles, bylines, credits, series credits
        assert client.get(people[0].get_absolute_url()).status_code == 200


def add_pictures(series, articles):
    """A cover with a photographer's credit on the series and each article, and
    two library pictures in each article's text."""
    photographer = ContributorFactory(name="摄影记者")
    series.cover = ImageFactory(credit=photographer)
    series.save()
    for article in articles:
        inline = [ImageFactory(), ImageFactory()]
        article.cover = ImageFactory(credit=photographer)
        article.body = "".join(
            f'<figure class="image"><img src="{image.file.url}" alt=""><figcaption>说明</figcaption></figure>'
            for image in inline
        )
        article.save()


@pytest.mark.parametrize("size", [(1, 1), (6, 5)], ids=["small", "large"])
def test_pictures_cost_no_query_in_lists_and_one_for_the_text(client, django_assert_num_queries, size):
    series, _, articles = build_series(*size)
    add_pictures(series, articles)
    with django_assert_num_queries(5):  # as without pictures, plus the text's pictures (one query)
        html = client.get(articles[0].get_absolute_url()).content.decode()
    assert html.count("<picture>") == 3  # cover and two in the text
    assert "摄影记者 摄" in html
    assert '<meta property="og:image" content="http://testserver/media/renditions/' in html  # the share card
    assert "/media/images/" not in html  # never the original upload
    with django_assert_num_queries(5):
        html = client.get(series.get_absolute_url()).content.decode()
    assert html.count("<picture>") == 1 + size[0]  # the series' cover, each article's
    with django_assert_num_queries(4):
        html = client.get("/").content.decode()
    assert html.count("<picture>") == size[0]
