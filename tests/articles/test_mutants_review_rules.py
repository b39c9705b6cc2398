"""Rules of articles/review_rules.py that the mutation check found untested
(docs/testing.md, "Mutation check")."""

import pytest

from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_account_no_longer_staff_cannot_preview_though_it_keeps_its_role(client_for):
    """Previewing takes staff status and the permission to see articles:
    a reporter whose staff flag was taken away, still in the 记者 group,
    gets the public 404 for a draft."""
    former = UserFactory(username="former", roles=["记者"], is_staff=False)
    assert former.has_perm("articles.view_article")
    draft = ArticleFactory(title="尚未签发的稿件", draft=True)
    assert client_for(former).get(draft.get_absolute_url()).status_code == 404
