"""Previews: staff at the real URL, reviewers without an account through a signed link.
(Making, listing and revoking links: test_preview_links.py.)"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import services
from articles.models import Article
from tests.factories import ArticleFactory, preview_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(staff):
    return ArticleFactory(title="尚未签发的稿件", draft=True, created_by=staff.reporter, body="<p>初稿内容。</p>")


def test_staff_preview_a_draft_at_its_real_url_with_a_banner(draft, staff, client_for, client):
    response = client_for(staff.reporter).get(draft.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="preview-banner"' in html and "“草稿”" in html and "初稿内容。" in html
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_live_article_has_no_preview_banner_for_staff(staff, client_for):
    article = ArticleFactory()
    assert 'class="preview-banner"' not in client_for(staff.chief).get(article.get_absolute_url()).content.decode()


def test_users_who_may_not_see_articles_get_404(draft, client_for):
    from tests.factories import UserFactory

    nobody = UserFactory(username="visitor", is_staff=False)
    assert client_for(nobody).get(draft.get_absolute_url()).status_code == 404


def make_link(client, article) -> str:
    response = client.post(f"/admin/articles/article/{article.pk}/preview-link/", follow=True)
    (link,) = re.findall(r'value="http://testserver(/preview/[^"]+)"', response.content.decode())
    return link


def test_signed_link_lets_a_reviewer_without_an_account_read_a_draft(draft, staff, client_for, client):
    link = make_link(client_for(staff.reporter), draft)
    response = client.get(link)
    html = response.content.decode()
    assert response.status_code == 200
    assert "初稿内容。" in html and "此预览链接" in html and "失效" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_link_survives_edits(draft, staff, client):
    link = preview_url(draft)
    draft.body = "<p>改过的内容。</p>"
    services.article_save(article=draft, by=staff.reporter)
    assert "改过的内容。" in client.get(link).content.decode()


def test_link_breaks_when_the_slug_changes(draft, staff, client):
    link = preview_url(draft)
    draft.slug = "another-address"
    services.article_save(article=draft, by=staff.reporter)
    assert client.get(link).status_code == 404


def test_link_breaks_when_the_article_is_withdrawn_even_if_reopened(staff, client):
    article = ArticleFactory(publish_at=timezone.now() + timedelta(days=1))  # scheduled, not live yet
    link = preview_url(article)
    assert client.get(link).status_code == 200
    services.article_withdraw(article=article, by=staff.chief, reason="暂缓发布")
    assert client.get(link).status_code == 404
    services.article_transition(article=article, by=staff.chief, action="reopen")
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert client.get(link).status_code == 404
    assert client.get(preview_url(article)).status_code == 200  # a new link works


def test_link_expires_after_48_hours(draft, client):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        link = preview_url(draft)
        clock.shift(timedelta(hours=47, minutes=59))
        assert client.get(link).status_code == 200
        clock.shift(timedelta(minutes=2))
        response = client.get(link)
        assert response.status_code == 404
        assert "找不到这个页面" in response.content.decode()


def test_link_lifetime_is_a_setting(draft, client, settings):
    settings.NEWSROOM_PREVIEW_LINK_HOURS = 1
    with time_machine.travel(timezone.now(), tick=False) as clock:
        link = preview_url(draft)
        clock.shift(timedelta(minutes=61))
        assert client.get(link).status_code == 404


@pytest.mark.parametrize("tamper", [lambda t: t[:-2] + "xx", lambda t: "x" + t, lambda t: "abc", lambda t: t + "/.."])
def test_tampered_links_are_404(draft, client, tamper):
    token = preview_url(draft).split("/")[2]
    assert client.get(f"/preview/{tamper(token)}/").status_code == 404


def test_only_staff_who_may_see_articles_make_links(draft, client_for):
    from tests.factories import UserFactory

    outsider = UserFactory(username="outsider")  # staff, but in no group
    assert client_for(outsider).post(f"/admin/articles/article/{draft.pk}/preview-link/").status_code in (403, 404)
