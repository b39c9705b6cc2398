"""The archive by the paper's date: a day's edition, a month's days."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, not_public_states
from tests.pages import text, texts

pytestmark = pytest.mark.django_db

NOT_PUBLIC = not_public_states()
BEIJING = dt.timezone(dt.timedelta(hours=8))


def day_url(day: dt.date) -> str:
    return reverse("articles:archive-day", kwargs={"year": f"{day:%Y}", "month": f"{day:%m}", "day": f"{day:%d}"})


def at(year, month, day, hour=12, minute=0) -> dt.datetime:
    """A publication time, in Beijing time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=BEIJING)


@pytest.fixture
def edition():
    """The paper of 2026-11-28 and its neighbours."""
    ArticleFactory(title="五版稿", print_date=dt.date(2026, 11, 28), print_page="A05", publish_at=at(2026, 11, 27))
    ArticleFactory(title="一版次条", print_date=dt.date(2026, 11, 28), print_page="A01", publish_at=at(2026, 11, 27))
    ArticleFactory(
        title="一版头条", print_date=dt.date(2026, 11, 28), print_page="A01", is_lead=True, publish_at=at(2026, 11, 27)
    )
    # Web only: the day it was published, in Beijing time (16:30 UTC on the 27th).
    ArticleFactory(title="网络稿", publish_at=at(2026, 11, 28, 0, 30))
    ArticleFactory(title="前一天的网络稿", publish_at=at(2026, 11, 27, 23, 59))
    ArticleFactory(title="月底", print_date=dt.date(2026, 11, 30), print_page="A01", publish_at=at(2026, 11, 29))
    ArticleFactory(title="下个月", print_date=dt.date(2026, 12, 1), publish_at=at(2026, 11, 30))


def test_day_page_lists_the_edition_page_by_page_then_web_only(client, edition):
    response = client.get("/archive/2026/11/28/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1 and text(html, "archive-header").startswith("2026年11月 2026年11月28日")
    assert texts(html, "archive-page") == ["A01版", "A05版", "其他"]
    assert texts(html, "article-item-title") == ["一版头条", "一版次条", "五版稿", "网络稿"]
    assert 'href="/archive/2026/11/"' in html


def test_month_page_lists_days_with_counts_and_their_articles(client, edition):
    html = client.get("/archive/2026/11/").content.decode()
    assert texts(html, "archive-days")[0] == "27日 1 篇 28日 4 篇 30日 1 篇"
    assert f'href="{day_url(dt.date(2026, 11, 28))}"' in html
    assert texts(html, "archive-day") == ["11月27日", "11月28日", "11月30日"]
    assert texts(html, "article-item-title") == ["前一天的网络稿", "一版头条", "一版次条", "五版稿", "网络稿", "月底"]
    assert "下个月" not in html


@pytest.mark.parametrize("state", NOT_PUBLIC.values(), ids=NOT_PUBLIC.keys())
def test_what_is_not_public_is_in_no_archive_page(client, state):
    ArticleFactory(title="公开的稿件", print_date=dt.date(2026, 11, 28))
    ArticleFactory(title="不该公开的稿件", print_date=dt.date(2026, 11, 28), **state)
    ArticleFactory(title="只有草稿的一天", print_date=dt.date(2026, 11, 29), **state)
    for url in ("/archive/2026/11/28/", "/archive/2026/11/"):
        html = client.get(url).content.decode()
        assert "公开的稿件" in html and "不该公开的稿件" not in html, url
    assert text(client.get("/archive/2026/11/").content.decode(), "archive-days") == "28日 1 篇"
    assert client.get("/archive/2026/11/29/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/archive/2026/11/29/",  # a day with nothing
        "/archive/2026/10/",  # a month with nothing
        "/archive/2026/02/30/",
        "/archive/2026/13/01/",
        "/archive/2026/00/",
        "/archive/0000/01/01/",
        "/archive/9999/12/31/",
        "/archive/9999/12/",
        "/archive/2026/11/28/x/",
        "/archive/2026/1/5/",  # dates are written in full
    ],
)
def test_dates_with_nothing_and_no_such_dates_are_404(client, edition, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "找不到这个页面" in response.content.decode()
