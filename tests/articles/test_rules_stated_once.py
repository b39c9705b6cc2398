"""Each rule stated once, by name: the public list, the expiry rule, the
correction permission and the sign-off record, and every caller using them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles import review_rules, services
from articles.feeds import LatestArticlesFeed
from articles.models import Article, Transition
from articles.models.articles import check_expiry
from articles.search_indexes import ArticleIndex
from articles.views.home import HomeView
from tests.factories import ArticleFactory
from tests.forms import article_form

pytestmark = pytest.mark.django_db

Status, Action = Article.Status, Transition.Action
HOUR = timedelta(hours=1)


@pytest.fixture
def mixed():
    """One article in each public state, and the live ones out of id order."""
    now = timezone.now()
    newer = ArticleFactory(title="较新", publish_at=now - HOUR)
    older = ArticleFactory(title="较早", publish_at=now - 3 * HOUR)
    ArticleFactory(title="已排期", publish_at=now + HOUR)
    ArticleFactory(title="已下线", publish_at=now - 3 * HOUR, expire_at=now - HOUR)
    ArticleFactory(title="草稿", draft=True)
    return newer, older


# --- the public list ---------------------------------------------------------------


def test_public_list_is_the_live_articles_newest_first(mixed):
    newer, older = mixed
    assert list(Article.objects.public_list()) == [newer, older]
    assert list(Article.objects.public_list(teasers=True)) == [newer, older]


def test_signed_off_is_what_the_index_holds_live_scheduled_and_expired(mixed):
    titles = set(Article.objects.signed_off().values_list("title", flat=True))
    assert titles == {"较新", "较早", "已排期", "已下线"}
    assert set(ArticleIndex().index_queryset().values_list("title", flat=True)) == titles


def test_home_feed_and_search_read_the_same_public_list(mixed, rf):
    newer, older = mixed
    home = HomeView(request=rf.get("/"), kwargs={})
    assert home.get_queryset()[0:10] == [newer, older]
    assert list(LatestArticlesFeed().articles(None)) == [newer, older]
    assert list(ArticleIndex().read_queryset()) == [newer, older]


# --- the expiry rule ---------------------------------------------------------------


def test_expiry_rule_refuses_an_expiry_at_or_before_publication():
    at = timezone.now()
    check_expiry(publish_at=at, expire_at=None)
    check_expiry(publish_at=None, expire_at=at)
    check_expiry(publish_at=at, expire_at=at + timedelta(seconds=1))
    for expire_at in (at, at - HOUR):
        with pytest.raises(ValidationError, match="下线时间必须晚于发布时间") as refused:
            check_expiry(publish_at=at, expire_at=expire_at)
        assert list(refused.value.error_dict) == ["expire_at"]


def test_signing_off_for_a_time_after_the_expiry_is_refused_and_nothing_is_recorded(staff):
    """The mutant that deleted the service's own expiry check survived
    because Article.clean() repeated it; now clean() is the only place, so
    deleting it (or not calling it) fails here."""
    now = timezone.now()
    article = ArticleFactory(
        status=Status.FINAL_REVIEW, publish_at=None, created_by=staff.reporter, expire_at=now + HOUR
    )
    with pytest.raises(ValidationError, match="下线时间必须晚于发布时间") as refused:
        services.article_publish(article=article, by=staff.chief, at=now + 2 * HOUR)
    assert "expire_at" in refused.value.error_dict
    article.refresh_from_db()
    assert (article.status, article.publish_at) == (Status.FINAL_REVIEW, None)
    assert not Transition.objects.filter(article=article).exists()
    # Before the expiry it goes through.
    services.article_publish(article=article, by=staff.chief, at=now + HOUR / 2)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_the_admin_form_refuses_an_expiry_before_publication(staff, client_for):
    article = ArticleFactory(body="<p>正文。</p>")
    expire = timezone.localtime(article.publish_at - HOUR)
    response = client_for(staff.editor).post(
        f"/admin/articles/article/{article.pk}/change/",
        article_form(article, expire_at_0=f"{expire:%Y-%m-%d}", expire_at_1=f"{expire:%H:%M}"),
    )
    assert response.status_code == 200
    assert "下线时间必须晚于发布时间" in response.content.decode()
    article.refresh_from_db()
    assert article.expire_at is None


# --- the correction permission -----------------------------------------------------


def test_correction_is_offered_only_to_whom_the_service_allows(staff, client_for):
    """``can_correct`` is ``check_correct`` asked as a question: the form is
    on the page exactly when the service would accept a correction."""
    published = ArticleFactory(created_by=staff.reporter)
    draft = ArticleFactory(draft=True, created_by=staff.reporter)
    cases = [(staff.chief, published, True), (staff.editor, published, False), (staff.chief, draft, False)]
    for user, article, allowed in cases:
        html = client_for(user).get(f"/admin/articles/article/{article.pk}/change/").content.decode()
        assert ("correction-form" in html) is allowed, (user, article.status)
        assert review_rules.can_correct(user, article) is allowed
        if not allowed:
            with pytest.raises((PermissionDenied, ValidationError)):
                review_rules.check_correct(user, article)


# --- the sign-off record -----------------------------------------------------------


def test_every_step_is_recorded_by_record_transition(staff, monkeypatch):
    """Publish, correct and edit a published article: each record comes
    from the one helper (the services hold no Transition.objects.create)."""
    seen = []
    original = services.record_transition

    def spy(**kwargs):
        seen.append(kwargs["action"])
        return original(**kwargs)

    for module in ("articles.services.review", "articles.services.editing"):
        monkeypatch.setattr(f"{module}.record_transition", spy)
    article = ArticleFactory(status=Status.FINAL_REVIEW, publish_at=None, created_by=staff.reporter)
    article = services.article_publish(article=article, by=staff.chief)
    services.article_add_correction(article=article, by=staff.chief, text="“鹤山市”应为“台山市”。")
    article.refresh_from_db()
    article.summary = "新摘要"
    services.article_save(article=article, by=staff.editor)
    assert seen == [Action.PUBLISH, Action.CORRECT, Action.EDIT_PUBLISHED]
    assert list(Transition.objects.values_list("action", flat=True)) == seen


def test_record_transition_records_who_what_and_from_where(staff):
    article = ArticleFactory()
    record = services.record_transition(
        article=article, action=Action.WITHDRAW, by=staff.chief, from_status=Status.FINAL_REVIEW, comment="理由"
    )
    record.refresh_from_db()
    assert (record.from_status, record.to_status, record.actor, record.comment, record.publish_at) == (
        Status.FINAL_REVIEW,
        Status.PUBLISHED,
        staff.chief,
        "理由",
        None,
    )
    same = services.record_transition(article=article, action=Action.CORRECT, by=None)
    assert (same.from_status, same.to_status, same.actor) == (Status.PUBLISHED, Status.PUBLISHED, None)
