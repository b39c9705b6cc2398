"""Preview links on record: who may make them, the list on the article page
with its copy button, revoking one, and what a dead link shows the reader."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services
from articles.models import Article, Correction, PreviewLink
from articles.previews import preview_url
from tests.factories import ArticleFactory, BylineFactory, PreviewLinkFactory
from tests.helpers.admin_pages import change_page

pytestmark = pytest.mark.django_db

Status = Article.Status
INVALID = "找不到这个页面"  # the reader's page for a link that no longer works (404.html)


def mint(client, article):
    return client.post(f"/admin/articles/article/{article.pk}/preview-link/")


def links_section(html: str) -> str:
    found = re.search(r'<section class="preview-links".*?</section>', html, re.DOTALL)
    return found.group(0) if found else ""


def listed_urls(html: str) -> list[str]:
    return re.findall(r'value="http://testserver(/preview/[^"]+)"', links_section(html))


def article_at(staff, status, **extra):
    """The reporter's article, at ``status``."""
    if status == "scheduled":
        extra.update(status=Status.PUBLISHED, publish_at=timezone.now() + timedelta(days=1))
    else:
        extra.update(status=status, publish_at=None)
    return ArticleFactory(**{"title": "预览测试稿", "created_by": staff.reporter, **extra})


# --- who may make a link ----------------------------------------------------------

# (article status, role) → may make a link: the article's editors and the reviewers of its stage.
MATRIX = [
    (Status.DRAFT, "reporter", True),  # their own draft
    (Status.DRAFT, "other_reporter", False),  # a colleague's draft
    (Status.DRAFT, "editor", True),  # edits any article
    (Status.DRAFT, "desk_head", False),
    (Status.DRAFT, "chief", False),
    (Status.DRAFT, "superuser", True),
    (Status.RETURNED, "reporter", True),
    (Status.FIRST_REVIEW, "reporter", False),  # out of their hands once submitted
    (Status.FIRST_REVIEW, "editor", True),
    (Status.FIRST_REVIEW, "desk_head", False),
    (Status.SECOND_REVIEW, "desk_head", True),
    (Status.SECOND_REVIEW, "chief", False),
    (Status.SECOND_REVIEW, "other_reporter", False),
    (Status.FINAL_REVIEW, "chief", True),
    (Status.FINAL_REVIEW, "desk_head", False),
    ("scheduled", "chief", True),  # still 终审's: the editor-in-chief may re-sign it
    ("scheduled", "desk_head", False),
]


@pytest.mark.parametrize(("status", "role", "allowed"), MATRIX)
def test_who_may_make_a_preview_link(staff, client_for, status, role, allowed):
    article = article_at(staff, status)
    response = mint(client_for(getattr(staff, role)), article)
    if allowed:
        assert response.status_code == 302
        assert PreviewLink.objects.filter(article=article, created_by=getattr(staff, role)).count() == 1
    else:
        assert response.status_code == 403
        assert "只有能修改或正在审这篇稿件的人" in response.content.decode()
        assert not PreviewLink.objects.exists()


def test_the_button_is_offered_only_to_those_who_may_use_it(staff, client_for):
    draft = article_at(staff, Status.DRAFT)
    assert "生成预览链接</button>" in change_page(client_for(staff.reporter), draft)
    assert "生成预览链接</button>" not in change_page(client_for(staff.other_reporter), draft)


def test_no_link_for_a_withdrawn_article(staff, client_for):
    article = ArticleFactory(status=Status.WITHDRAWN)
    response = client_for(staff.editor).post(f"/admin/articles/article/{article.pk}/preview-link/", follow=True)
    assert "已撤稿，不能生成预览链接" in response.content.decode()
    assert not PreviewLink.objects.exists()


def test_making_a_link_is_post_only(staff, client_for):
    draft = article_at(staff, Status.DRAFT)
    assert client_for(staff.reporter).get(f"/admin/articles/article/{draft.pk}/preview-link/").status_code == 405


# --- the list on the article page ---------------------------------------------------


def test_the_article_page_lists_links_with_maker_times_status_and_a_copy_button(staff, client_for, client):
    draft = article_at(staff, Status.DRAFT)
    reporter = client_for(staff.reporter)
    made_at = timezone.make_aware(timezone.datetime(2026, 11, 28, 9, 30))
    with time_machine.travel(made_at, tick=False):
        response = reporter.post(f"/admin/articles/article/{draft.pk}/preview-link/", follow=True)
    html = response.content.decode()
    assert "已生成预览链接，48 小时内有效（到 2026-11-30 09:30）" in html
    section = links_section(html)
    assert "李明" in section  # the maker, by name
    assert "2026年11月28日 09:30" in section and "2026年11月30日 09:30" in section
    assert '<span class="preview-link-state">有效</span>' in section
    assert 'class="button copy-preview-link"' in section and "复制</button>" in section
    assert 'src="/static/articles/preview-links.js"' in section
    assert "<script>" not in section  # no inline script (CSP)
    assert "csrfmiddlewaretoken" in section and "撤销</button>" in section
    (url,) = listed_urls(html)
    # Listed again on every visit, and the listed address works without an
    # account, while it is valid (a day later, whatever today's date).
    with time_machine.travel(made_at + timedelta(days=1), tick=False):
        assert listed_urls(change_page(reporter, draft)) == [url]
        assert "预览测试稿" in client.get(url).content.decode()


def test_a_colleague_who_may_not_make_links_does_not_see_their_addresses(staff, client_for):
    link = PreviewLinkFactory(article=article_at(staff, Status.DRAFT), created_by=staff.reporter)
    html = change_page(client_for(staff.other_reporter), link.article)
    assert listed_urls(html) == [] and preview_url(link) not in html
    assert "李明" in links_section(html) and "撤销</button>" not in html


def test_the_list_costs_the_same_however_many_links(staff, client_for):
    draft = article_at(staff, Status.DRAFT)
    editor = client_for(staff.editor)
    change_page(editor, draft)  # warm up (sessions, content types)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            change_page(editor, draft)
        return len(captured)

    PreviewLinkFactory(article=draft, created_by=staff.reporter)
    one = queries()
    for maker in (staff.editor, staff.superuser, staff.other_reporter):
        PreviewLinkFactory(article=draft, created_by=maker)
    assert queries() == one


# --- revoking ----------------------------------------------------------------------


def revoke(client, link, follow=False):
    return client.post(f"/admin/articles/article/{link.article_id}/preview-link/{link.pk}/revoke/", follow=follow)


def test_revoking_a_link_gives_the_reader_the_invalid_page(staff, client_for, client):
    link = PreviewLinkFactory(article=article_at(staff, Status.DRAFT), created_by=staff.reporter)
    url = preview_url(link)
    assert client.get(url).status_code == 200
    response = revoke(client_for(staff.reporter), link, follow=True)
    html = response.content.decode()
    assert "预览链接已撤销" in html
    section = links_section(html)
    assert '<span class="preview-link-state">已撤销</span>' in section and "李明" in section
    assert listed_urls(html) == [] and "撤销</button>" not in section
    dead = client.get(url)
    assert dead.status_code == 404 and INVALID in dead.content.decode()
    link.refresh_from_db()
    assert link.revoked_by == staff.reporter and link.revoked_at is not None


def test_an_editor_may_revoke_anyones_link(staff, client_for, client):
    link = PreviewLinkFactory(article=article_at(staff, Status.DRAFT), created_by=staff.reporter)
    assert revoke(client_for(staff.editor), link).status_code == 302
    assert client.get(preview_url(link)).status_code == 404


@pytest.mark.parametrize("role", ["other_reporter", "desk_head", "chief"])
def test_others_may_not_revoke_a_link(staff, client_for, client, role):
    link = PreviewLinkFactory(article=article_at(staff, Status.DRAFT), created_by=staff.reporter)
    assert revoke(client_for(getattr(staff, role)), link).status_code == 403
    assert client.get(preview_url(link)).status_code == 200


def test_revoking_twice_says_so(staff, client_for):
    link = PreviewLinkFactory(article=article_at(staff, Status.DRAFT), created_by=staff.reporter)
    revoke(client_for(staff.reporter), link)
    response = revoke(client_for(staff.reporter), link, follow=True)
    assert response.status_code == 200 and "这个预览链接已经撤销过了。" in response.content.decode()


def test_a_link_is_revoked_only_through_its_own_article(staff, client_for):
    link = PreviewLinkFactory(article=article_at(staff, Status.DRAFT), created_by=staff.reporter)
    other = ArticleFactory(created_by=staff.reporter, draft=True)
    response = client_for(staff.reporter).post(f"/admin/articles/article/{other.pk}/preview-link/{link.pk}/revoke/")
    assert response.status_code == 404
    assert PreviewLink.objects.get().revoked_at is None


def test_withdrawal_revokes_the_articles_links(staff, client_for, client):
    article = article_at(staff, "scheduled")
    link = PreviewLinkFactory(article=article, created_by=staff.chief)
    services.article_withdraw(article=article, by=staff.chief, reason="暂缓发布")
    link.refresh_from_db()
    assert link.revoked_by == staff.chief
    assert client.get(preview_url(link)).status_code == 404


# --- expiry, old links, cost --------------------------------------------------------


def test_an_expired_link_gives_the_invalid_page_and_is_listed_as_expired(staff, client_for, client):
    draft = article_at(staff, Status.DRAFT)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        link = services.preview_link_create(article=draft, by=staff.reporter)
        clock.shift(timedelta(hours=48, seconds=1))
        dead = client.get(preview_url(link))
        assert dead.status_code == 404 and INVALID in dead.content.decode()
        section = links_section(change_page(client_for(staff.reporter), draft))
    assert '<span class="preview-link-state">已过期</span>' in section and "撤销</button>" not in section


def test_a_link_from_before_links_were_on_record_no_longer_works(staff, client):
    """The old tokens signed the article's id, slug and withdrawals (see docs/workflow.md)."""
    draft = article_at(staff, Status.DRAFT)
    payload = {"id": draft.pk, "slug": draft.slug, "w": 0, "t": int(timezone.now().timestamp())}
    old = signing.dumps(payload, salt="articles.preview-link", compress=True)
    assert client.get(f"/preview/{old}/").status_code == 404


def test_a_forged_key_is_refused(staff, client):
    link = PreviewLinkFactory(article=article_at(staff, Status.DRAFT), created_by=staff.reporter)
    assert client.get(f"/preview/{link.key}:forged/").status_code == 404
    assert client.get(preview_url(link)).status_code == 200


def test_the_preview_costs_the_same_however_rich_the_article(staff, client):
    plain = article_at(staff, Status.DRAFT)
    BylineFactory(article=plain)
    rich = article_at(staff, Status.DRAFT, title="另一篇", series=plain.series)
    for _ in range(3):
        BylineFactory(article=rich)
    Correction.objects.create(article=rich, text="更正一", created_by=staff.chief)
    Correction.objects.create(article=rich, text="更正二", created_by=staff.chief)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    plain_url, rich_url = preview_url(PreviewLinkFactory(article=plain)), preview_url(PreviewLinkFactory(article=rich))
    # The link; the article with its place in its series; its corrections; its bylines
    # with its credits; its series' nearest articles with its authors' other articles.
    assert queries(plain_url) == queries(rich_url) == 5
