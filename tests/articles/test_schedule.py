"""Time, honoured at request time by every public surface, with no command to run."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import services
from articles.models import Article
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, SeriesFactory

pytestmark = pytest.mark.django_db

TITLE = "定时发布的稿件"


def surfaces(article, author):
    return {
        "article page": article.get_absolute_url(),
        "home": "/",
        "series page": article.series.get_absolute_url(),
        "contributor page": author.get_absolute_url(),
        "feed": "/feeds/latest/",
        "series feed": f"{article.series.get_absolute_url()}feed/",
        "atom feed": "/feeds/latest/atom/",
        "series atom feed": f"{article.series.get_absolute_url()}feed/atom/",
        "sitemap": "/sitemap-articles.xml",
    }


def visible_on(client, article, author) -> dict[str, bool]:
    seen = {}
    for name, url in surfaces(article, author).items():
        response = client.get(url)
        body = response.content.decode()
        seen[name] = response.status_code == 200 and (TITLE in body or article.slug in body)
    return seen


@pytest.fixture
def scheduled(staff):
    """Signed off by the editor-in-chief for 08:00 tomorrow, Beijing time."""
    series = SeriesFactory(name="百千万")
    ArticleFactory(series=series, title="已经公开的稿件")  # so every list has something in it
    article = ArticleFactory(title=TITLE, series=series, status=Article.Status.FINAL_REVIEW, publish_at=None)
    author = ContributorFactory(name="赵可义")
    BylineFactory(article=article, contributor=author)
    at = (timezone.localtime() + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
    services.article_publish(article=article, by=staff.chief, at=at)
    article.refresh_from_db()
    return article, author, at


def test_a_scheduled_article_appears_at_its_minute_everywhere(client, scheduled):
    article, author, at = scheduled
    with time_machine.travel(at - timedelta(minutes=1), tick=False):
        assert visible_on(client, article, author) == dict.fromkeys(surfaces(article, author), False)
        assert not Article.objects.published().filter(pk=article.pk).exists()
    with time_machine.travel(at, tick=False):
        assert visible_on(client, article, author) == dict.fromkeys(surfaces(article, author), True)


def test_an_expiring_article_disappears_at_its_minute_everywhere(client, scheduled, staff):
    article, author, at = scheduled
    article.expire_at = at + timedelta(days=7)
    services.article_save(article=article, by=staff.editor)
    with time_machine.travel(article.expire_at - timedelta(minutes=1), tick=False):
        assert all(visible_on(client, article, author).values())
    with time_machine.travel(article.expire_at, tick=False):
        assert visible_on(client, article, author) == dict.fromkeys(surfaces(article, author), False)


def test_the_admin_calls_it_scheduled_until_its_minute(scheduled, staff, client_for):
    article, _, at = scheduled
    assert article.display_status == "已排期"
    with time_machine.travel(at, tick=False):
        assert Article.objects.get(pk=article.pk).display_status == "已发布"


def test_the_chief_can_reschedule_before_the_minute(scheduled, staff):
    article, _, at = scheduled
    services.article_publish(article=article, by=staff.chief, at=at + timedelta(hours=2))
    article.refresh_from_db()
    assert article.publish_at == at + timedelta(hours=2)
    with time_machine.travel(at + timedelta(hours=3), tick=False):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError, match="现在是“已发布”"):
            services.article_publish(article=article, by=staff.chief)


def test_expiry_before_publication_is_refused(scheduled, staff):
    article, _, at = scheduled
    article.expire_at = at - timedelta(hours=1)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="下线时间必须晚于发布时间"):
        services.article_save(article=article, by=staff.editor)
