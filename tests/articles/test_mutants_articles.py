"""Rules of articles/models/articles.py that the mutation check found untested
(docs/testing.md, "Mutation check")."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import ArticleFactory
from tests.forms import article_form

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


def test_a_refused_expiry_names_both_times_in_beijing_time(staff, client_for):
    """The editor reads which times clash, as the newsroom writes them: full
    year, month and day without a leading zero, 24-hour clock, Beijing time."""
    article = ArticleFactory(body="<p>正文。</p>", publish_at=datetime(2026, 3, 1, 14, 5, tzinfo=BEIJING))
    response = client_for(staff.editor).post(
        f"/admin/articles/article/{article.pk}/change/",
        article_form(article, expire_at_0="2026-03-01", expire_at_1="13:05"),
    )
    assert response.status_code == 200
    assert (
        "<li>下线时间必须晚于发布时间：发布时间是 2026年3月1日 14:05，下线时间是 2026年3月1日 13:05。</li>"
        in response.content.decode()
    )
    article.refresh_from_db()
    assert article.expire_at is None
