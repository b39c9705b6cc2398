"""E-mail on 三审 steps: the next stage hears of each pass, the author of a 退回;
nothing for a refused or rolled-back step, and a broken mail server breaks nothing."""

import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from articles import services
from articles.models import Article, Transition
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

Status, Action = Article.Status, Transition.Action


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("邮件服务器拒绝连接")


@pytest.fixture
def desk(staff, settings):
    """The staff with e-mail addresses, plus colleagues the mails must skip."""
    settings.NEWSROOM_NOTIFY_BY_EMAIL = True
    settings.NEWSROOM_ADMIN_BASE_URL = "https://cms.jmrb.example/"
    for user in (staff.reporter, staff.other_reporter, staff.editor, staff.desk_head, staff.chief, staff.superuser):
        user.email = f"{user.username}@jmrb.example"
        user.save()
    staff.second_editor = UserFactory(
        username="editor2", first_name="周编辑", email="editor2@jmrb.example", roles=["编辑"]
    )
    UserFactory(username="noemail", first_name="无邮箱", email="", roles=["编辑"])
    UserFactory(username="gone", first_name="已离职", email="gone@jmrb.example", is_active=False, roles=["编辑"])
    return staff


@pytest.fixture
def step(django_capture_on_commit_callbacks):
    """Take a step as if in its own request: the mails go out when it commits."""

    def take(article, by, action, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            article.refresh_from_db()
            return services.article_transition(article=article, by=by, action=action, **kwargs)

    return take


def recipients(outbox):
    return sorted(address for message in outbox for address in message.to)


def test_each_pass_mails_the_next_stage(desk, step, mailoutbox):
    article = ArticleFactory(title="侨乡新貌", status=Status.DRAFT, publish_at=None, created_by=desk.reporter)

    step(article, desk.reporter, Action.SUBMIT)
    # the editors (初审), not the one without an address, not the inactive one, not the superuser
    assert recipients(mailoutbox) == ["editor2@jmrb.example", "editor@jmrb.example"]
    message = mailoutbox[0]
    assert message.subject == "【待初审】《侨乡新貌》"
    assert "李明对《侨乡新貌》执行了“提交审稿”" in message.body and "稿件现在等待初审" in message.body
    assert f"https://cms.jmrb.example/admin/articles/article/{article.pk}/change/" in message.body

    mailoutbox.clear()
    step(article, desk.editor, Action.PASS_FIRST)
    assert recipients(mailoutbox) == ["deskhead@jmrb.example"]
    assert mailoutbox[0].subject == "【待复审】《侨乡新貌》"
    assert "陈编辑对《侨乡新貌》执行了“初审通过”" in mailoutbox[0].body

    mailoutbox.clear()
    step(article, desk.desk_head, Action.PASS_SECOND)
    assert recipients(mailoutbox) == ["chief@jmrb.example"]
    assert mailoutbox[0].subject == "【待终审】《侨乡新貌》"

    mailoutbox.clear()
    step(article, desk.chief, Action.PUBLISH)
    assert mailoutbox == []  # nobody waits on a published article


def test_a_return_mails_the_author_with_the_reason_and_a_link(desk, step, mailoutbox):
    article = ArticleFactory(title="侨乡新貌", status=Status.SECOND_REVIEW, publish_at=None, created_by=desk.reporter)
    step(article, desk.desk_head, Action.RETURN, comment="第三段的数据要核实。")
    assert recipients(mailoutbox) == ["reporter@jmrb.example"]
    message = mailoutbox[0]
    assert message.subject == "【退回】《侨乡新貌》被退回修改"
    assert "你的稿件《侨乡新貌》在复审时被黄主任退回" in message.body
    assert "退回意见：\n第三段的数据要核实。" in message.body
    assert f"https://cms.jmrb.example/admin/articles/article/{article.pk}/change/" in message.body


def test_the_author_is_not_asked_to_review_their_own_article(desk, step, mailoutbox):
    article = ArticleFactory(status=Status.DRAFT, publish_at=None, created_by=desk.editor)
    step(article, desk.editor, Action.SUBMIT)
    assert recipients(mailoutbox) == ["editor2@jmrb.example"]


def test_no_mail_to_an_author_without_an_address_or_who_returned_it_themselves(desk, step, mailoutbox):
    desk.reporter.email = ""
    desk.reporter.save()
    article = ArticleFactory(status=Status.FIRST_REVIEW, publish_at=None, created_by=desk.reporter)
    step(article, desk.editor, Action.RETURN, comment="重写导语")
    assert mailoutbox == []


def test_a_step_taken_in_the_admin_mails_after_it_commits(desk, client_for, django_capture_on_commit_callbacks):
    from django.core import mail

    article = ArticleFactory(status=Status.FIRST_REVIEW, publish_at=None, created_by=desk.reporter)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(desk.editor).post(
            f"/admin/articles/article/{article.pk}/workflow/", {"action": "return", "comment": "标题再斟酌"}
        )
        assert response.status_code == 302
        assert mail.outbox == []  # not before the commit
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["reporter@jmrb.example"]]


def test_a_refused_step_mails_nobody(desk, django_capture_on_commit_callbacks, mailoutbox):
    article = ArticleFactory(status=Status.FIRST_REVIEW, publish_at=None, created_by=desk.reporter)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(PermissionDenied):
            services.article_transition(article=article, by=desk.reporter, action=Action.PASS_FIRST)
        with pytest.raises(ValidationError):
            services.article_transition(article=article, by=desk.editor, action=Action.RETURN, comment=" ")
    assert callbacks == [] and mailoutbox == []


def test_a_rolled_back_step_mails_nobody(desk, django_capture_on_commit_callbacks, mailoutbox):
    article = ArticleFactory(status=Status.FIRST_REVIEW, publish_at=None, created_by=desk.reporter)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.article_transition(article=article, by=desk.editor, action=Action.PASS_FIRST)
            raise RuntimeError("后面的操作失败")
    article.refresh_from_db()
    assert article.status == Status.FIRST_REVIEW
    assert callbacks == [] and mailoutbox == []


def test_a_broken_mail_server_does_not_break_the_step(
    desk, client_for, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    article = ArticleFactory(status=Status.SECOND_REVIEW, publish_at=None, created_by=desk.reporter)
    with caplog.at_level(logging.ERROR, logger="articles.notifications"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(desk.desk_head).post(
                f"/admin/articles/article/{article.pk}/workflow/", {"action": "return", "comment": "数据要核实"}
            )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.RETURNED
    assert article.transitions.get().comment == "数据要核实"
    assert "三审通知邮件没有发出" in caplog.text and "邮件服务器拒绝连接" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_for_real_the_mail_goes_out_when_the_step_commits(client_for, mailoutbox, settings):
    """No test transaction around it: the view's own transaction commits and on_commit fires."""
    settings.NEWSROOM_NOTIFY_BY_EMAIL = True
    reporter = UserFactory(username="r", first_name="李明", email="r@jmrb.example", roles=["记者"])
    editor = UserFactory(username="e", first_name="陈编辑", email="e@jmrb.example", roles=["编辑"])
    article = ArticleFactory(status=Status.FIRST_REVIEW, publish_at=None, created_by=reporter)
    response = client_for(editor).post(
        f"/admin/articles/article/{article.pk}/workflow/", {"action": "return", "comment": "标题再斟酌"}
    )
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["r@jmrb.example"]]
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    services.article_submit(article=article, by=reporter)  # on_commit(robust=True) and our own guard
    article.refresh_from_db()
    assert article.status == Status.FIRST_REVIEW


def test_mails_can_be_turned_off(desk, step, settings, mailoutbox):
    settings.NEWSROOM_NOTIFY_BY_EMAIL = False
    article = ArticleFactory(status=Status.DRAFT, publish_at=None, created_by=desk.reporter)
    step(article, desk.reporter, Action.SUBMIT)
    assert mailoutbox == []
