"""The search date and status filtering in the index itself (search/querying.py),
tests asked for by the mutation check (docs/testing.md, "Mutation check").

The database has the last word on what a hit shows (search/results.py), so a
scheduled or expired article the index let through is never listed; these
tests read what the index's answer still decides: the total on the page and
whether there is a next page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory

# Real commits: the index is written once a transaction commits, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def search_page(client, **params) -> str:
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode().replace("<mark>", "").replace("</mark>", "")


@pytest.mark.parametrize(
    "state",
    [
        {"publish_at": timezone.now() + timedelta(days=1)},
        {"publish_at": timezone.now() - timedelta(days=2), "expire_at": timezone.now() - timedelta(days=1)},
    ],
    ids=["scheduled", "expired"],
)
def test_the_total_counts_only_live_articles_past_the_first_page(client, search_index, settings, state):
    """One hit a page: the live article fills page 1; a scheduled or expired
    one ranked after it must not be counted, nor make a page 2."""
    settings.HAYSTACK_SEARCH_RESULTS_PER_PAGE = 1
    ArticleFactory(title="碉楼申遗", body="<p>开平碉楼。</p>")
    ArticleFactory(title="侨乡旧事", body="<p>提到一次碉楼。</p>", **state)  # ranked lower: not in its title
    html = search_page(client, q="碉楼")
    assert "碉楼申遗" in html and "侨乡旧事" not in html
    assert "找到 1 篇" in html
    assert "page=2" not in html
