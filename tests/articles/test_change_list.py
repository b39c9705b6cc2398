"""The article change list: the 状态 filter with 已排期 and 已下线, the 字数
column, compact times, and the CSS that keeps titles readable at 1280 px
(measured in a real browser by tests/browser/test_change_list_in_browser.py)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory
from tests.helpers.repo import REPO

pytestmark = pytest.mark.django_db

Status = Article.Status
CHANGE_LIST = "/admin/articles/article/"


def titles(html: str) -> set[str]:
    return set(re.findall(r'<th class="field-title"><a href="[^"]*">([^<]*)</a>', html))


@pytest.fixture
def every_state():
    """One article in every state Article.state knows, titled by it."""
    now = timezone.now()
    arguments = {
        "草稿": {"status": Status.DRAFT, "publish_at": None},
        "已退回": {"status": Status.RETURNED, "publish_at": None},
        "待初审": {"status": Status.FIRST_REVIEW, "publish_at": None},
        "待复审": {"status": Status.SECOND_REVIEW, "publish_at": None},
        "待终审": {"status": Status.FINAL_REVIEW, "publish_at": None},
        "已发布": {"publish_at": now - timedelta(hours=1)},
        "已发布，明天下线": {"publish_at": now - timedelta(hours=1), "expire_at": now + timedelta(days=1)},
        "已排期": {"publish_at": now + timedelta(days=1)},
        "已下线": {"publish_at": now - timedelta(days=2), "expire_at": now - timedelta(days=1)},
        "已撤稿": {"status": Status.WITHDRAWN},
    }
    return {title: ArticleFactory(title=title, **kwargs) for title, kwargs in arguments.items()}


EXPECTED = {
    "draft": {"草稿"},
    "returned": {"已退回"},
    "first_review": {"待初审"},
    "second_review": {"待复审"},
    "final_review": {"待终审"},
    "published": {"已发布", "已发布，明天下线"},  # live now
    "scheduled": {"已排期"},
    "expired": {"已下线"},
    "withdrawn": {"已撤稿"},
}


@pytest.mark.parametrize(("state", "expected"), EXPECTED.items())
def test_the_state_filter_gives_the_right_articles(admin_client, every_state, state, expected):
    html = admin_client.get(CHANGE_LIST, {"state": state}).content.decode()
    assert titles(html) == expected
    assert {article.display_status for article in Article.objects.in_state(state)} <= {*expected, "已发布"}


def test_the_state_filter_lists_scheduled_and_expired_after_published(admin_client, every_state):
    html = admin_client.get(CHANGE_LIST).content.decode()
    panel = re.search(r"以 状态.*?</ul>", html, re.DOTALL).group(0)
    choices = re.findall(r'<a href="\?state=\w+">([^<]+)</a>', panel)
    assert choices == ["草稿", "已退回", "待初审", "待复审", "待终审", "已发布", "已排期", "已下线", "已撤稿"]
    assert "status__exact" not in html  # the plain status filter is gone


def test_every_state_is_one_filter_choice(every_state):
    """The filter's choices split the articles: each one in exactly one choice, the one its badge names."""
    for article in Article.objects.all():
        matching = [state for state in EXPECTED if Article.objects.in_state(state).filter(pk=article.pk).exists()]
        assert matching == [article.state], article.title


def test_an_unknown_state_shows_everything_rather_than_failing(admin_client, every_state):
    response = admin_client.get(CHANGE_LIST, {"state": "nonsense"})
    assert response.status_code == 200 and titles(response.content.decode()) == set(every_state)


def test_the_word_count_column(admin_client):
    ArticleFactory(title="长稿", body="<p>" + "字" * 1234 + "</p>")
    ArticleFactory(title="短稿", body="<p>江门日报</p>")
    html = admin_client.get(CHANGE_LIST).content.decode()
    assert re.search(r'<th scope="col" class="sortable column-word_count[^"]*">.*?字数', html, re.DOTALL)
    assert sorted(re.findall(r'<td class="field-word_count">(\d+)</td>', html)) == ["1234", "4"]


def test_times_are_compact_beijing_time(admin_client):
    ArticleFactory(publish_at=datetime(2026, 11, 28, 0, 0, tzinfo=UTC))
    html = admin_client.get(CHANGE_LIST).content.decode()
    assert '<td class="field-publish_time">2026-11-28 08:00</td>' in html


def test_the_title_column_css_is_served_with_the_change_list(admin_client):
    ArticleFactory()
    assert 'href="/static/articles/admin.css"' in admin_client.get(CHANGE_LIST).content.decode()
    css = (REPO / "articles" / "static" / "articles" / "admin.css").read_text(encoding="utf-8")
    rule = re.search(r"#result_list \.field-title \{([^}]*)\}", css).group(1)
    assert "min-width: 12em" in rule and "max-width: 24em" in rule and "white-space: normal" in rule
