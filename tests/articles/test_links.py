"""Links to articles, series and contributors (articles/links.py): the same
URLs reverse() writes, without a reverse() for each."""

import pytest
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse, set_script_prefix

from articles.links import fixed_url, slug_url, static_url
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, SeriesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def script_prefix():
    """A site served under /news/ (SCRIPT_NAME behind a proxy), then back to /."""
    yield set_script_prefix
    set_script_prefix("/")


def test_each_link_is_what_reverse_writes(client):
    article = ArticleFactory(title="以“头号力度”拼出“头号工程”新图景", series=SeriesFactory(name="百千万"))
    author = BylineFactory(article=article, contributor=ContributorFactory(name="赵可义")).contributor
    for thing, name in [(article, "article-detail"), (article.series, "series-detail"), (author, "contributor-detail")]:
        url = thing.get_absolute_url()
        assert url == reverse(f"articles:{name}", kwargs={"slug": thing.slug})
        assert client.get(url).status_code == 200
    assert article.get_absolute_url() == f"/articles/{article.slug}/"


def test_under_a_script_prefix_links_carry_it_and_change_with_it(script_prefix):
    series = SeriesFactory(name="奋进")
    assert series.get_absolute_url() == f"/series/{series.slug}/"
    script_prefix("/news/")
    assert series.get_absolute_url() == f"/news/series/{series.slug}/"
    script_prefix("/")
    assert series.get_absolute_url() == f"/series/{series.slug}/"


@pytest.mark.parametrize("slug", ["", "含中文", "a b", "a/b", "a?b=1"])
def test_a_slug_no_url_takes_fails_as_reverse_does(slug):
    with pytest.raises(NoReverseMatch):
        slug_url("articles:article-detail", slug)


def test_the_frames_links_are_what_reverse_and_static_write_and_follow_the_prefix(script_prefix, client):
    for name in ("articles:home", "search:search", "articles:feed-latest", "articles:feed-latest-atom"):
        assert fixed_url(name) == reverse(name)
    script_prefix("/news/")
    assert fixed_url("articles:home") == "/news/" and fixed_url("search:search") == reverse("search:search")
    script_prefix("/")
    assert static_url("articles/site.css") == static("articles/site.css")
    html = client.get("/").content.decode()
    assert f'<link rel="stylesheet" href="{static("articles/site.css")}">' in html
    assert f'action="{reverse("search:search")}"' in html and f'<a href="{reverse("articles:feed-latest")}">' in html


def test_a_new_static_storage_gives_new_static_links(settings):
    before = static_url("articles/site.css")
    settings.STATIC_URL = "/assets/"
    assert static_url("articles/site.css") == "/assets/articles/site.css" != before
