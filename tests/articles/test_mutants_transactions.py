"""What the mutation check found unpinned in the services that open their own
transaction (articles/services/review.py …): who and what each step records."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import Article, Transition
from proofing.models import SensitiveWord
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

Status, Action = Article.Status, Transition.Action


def latest_revision_comment(article):
    return Version.objects.get_for_object(article).first().revision.comment


def latest_revision_user(article):
    return Version.objects.get_for_object(article).first().revision.user


def test_a_step_taken_without_a_comment_records_none(staff):
    article = ArticleFactory(status=Status.DRAFT, created_by=staff.reporter)
    services.article_submit(article=article, by=staff.reporter)
    record = article.transitions.get()
    assert record.comment == ""
    assert latest_revision_comment(article) == Action.SUBMIT.label


def test_a_step_is_saved_by_whoever_took_it_with_the_step_as_revision_comment(staff):
    article = ArticleFactory(status=Status.FIRST_REVIEW, created_by=staff.reporter)
    services.article_return(article=article, by=staff.editor, comment="  导语太长 ")
    article.refresh_from_db()
    assert article.updated_by == staff.editor
    assert latest_revision_user(article) == staff.editor
    assert latest_revision_comment(article) == f"{Action.RETURN.label}：导语太长"
    assert article.transitions.get().comment == "导语太长"


def test_a_withdrawal_without_a_reason_is_refused_and_nothing_is_recorded(staff):
    article = ArticleFactory(status=Status.PUBLISHED, publish_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError) as refused:
        services.article_withdraw(article=article, by=staff.chief, reason="  ")
    assert refused.value.messages == [f"“{Action.WITHDRAW.label}”必须写明意见或理由。"]
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert not article.transitions.exists()


def test_a_banned_word_blocks_the_sign_off_unless_a_reason_is_given(staff):
    SensitiveWord.objects.create(word="测试禁用词", level="block", category="violence", suggestion="别的说法")
    article = ArticleFactory(status=Status.FINAL_REVIEW, body="<p>这里有测试禁用词。</p>")
    with pytest.raises(ValidationError):
        services.article_publish(article=article, by=staff.chief)
    article.refresh_from_db()
    assert article.status == Status.FINAL_REVIEW
    services.article_transition(
        article=article, by=staff.chief, action=Action.PUBLISH, comment="可以发", override_reason="已核实"
    )
    record = article.transitions.get()
    assert record.comment == "可以发\n敏感词放行：已核实（禁用词：“测试禁用词”）"


def test_withdrawal_revokes_the_preview_links_in_the_name_of_who_withdrew(staff):
    article = ArticleFactory(status=Status.PUBLISHED, publish_at=timezone.now() - timedelta(hours=1))
    link = services.preview_link_create(article=article, by=staff.editor)
    services.article_withdraw(article=article, by=staff.chief, reason="当事人要求")
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert link.revoked_by == staff.chief


def test_only_a_sign_off_records_a_publishing_time(staff):
    at = timezone.now() + timedelta(days=1)
    article = ArticleFactory(status=Status.FIRST_REVIEW, created_by=staff.reporter)
    services.article_transition(article=article, by=staff.editor, action=Action.PASS_FIRST, at=at)
    assert article.transitions.get().publish_at is None


def test_an_imported_article_is_published_on_record_by_the_system():
    at = timezone.now() - timedelta(days=3)
    article = ArticleFactory.build(status=Status.DRAFT, series=None, source_document="seeds/2026-11-01.txt")
    services.article_import(article=article, at=at)
    article = Article.objects.get(pk=article.pk)
    assert (article.status, article.publish_at, article.first_published_at) == (Status.PUBLISHED, at, at)
    assert article.updated_by is None
    assert latest_revision_comment(article) == Action.IMPORT.label
    record = article.transitions.get()
    assert (record.action, record.from_status, record.to_status) == (Action.IMPORT, Status.DRAFT, Status.PUBLISHED)
    assert (record.actor, record.comment, record.publish_at) == (None, "seeds/2026-11-01.txt", at)


def test_a_correction_is_on_record_with_who_wrote_it(staff):
    article = ArticleFactory(status=Status.PUBLISHED, publish_at=timezone.now() - timedelta(hours=1))
    correction = services.article_add_correction(article=article, by=staff.chief, text=" 第二段的日期应为11月3日。 ")
    correction.refresh_from_db()
    assert (correction.text, correction.created_by) == ("第二段的日期应为11月3日。", staff.chief)
    record = article.transitions.get()
    assert (record.action, record.actor, record.comment) == (Action.CORRECT, staff.chief, "第二段的日期应为11月3日。")


def test_an_empty_correction_is_refused_and_nothing_is_recorded(staff):
    article = ArticleFactory(status=Status.PUBLISHED, publish_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError) as refused:
        services.article_add_correction(article=article, by=staff.chief, text="　 ")
    assert refused.value.messages == ["更正内容不能为空。"]
    assert not article.corrections.exists()
    assert not article.transitions.exists()


def test_a_first_sign_off_records_when_the_article_goes_live(staff):
    at = timezone.now() + timedelta(days=2)
    article = ArticleFactory(status=Status.FINAL_REVIEW)
    services.article_publish(article=article, by=staff.chief, at=at)
    article = Article.objects.get(pk=article.pk)
    assert (article.publish_at, article.first_published_at) == (at, at)
    assert article.transitions.get().publish_at == at


def test_a_sign_off_for_a_year_out_of_range_is_refused_and_nothing_is_recorded(staff):
    article = ArticleFactory(status=Status.FINAL_REVIEW)
    planned = article.publish_at
    at = timezone.now().replace(year=9999)
    with pytest.raises(ValidationError) as refused:
        services.article_publish(article=article, by=staff.chief, at=at)
    assert "这里填的是 9999 年" in " ".join(refused.value.messages)
    article.refresh_from_db()
    assert (article.status, article.publish_at) == (Status.FINAL_REVIEW, planned)
    assert not article.transitions.exists()
