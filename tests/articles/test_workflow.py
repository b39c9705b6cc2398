"""三审: every role against every step, and each step on record."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles import services
from articles.models import Article, Correction, Transition
from tests.factories import ArticleFactory
from tests.forms import article_form

pytestmark = pytest.mark.django_db

Status, Action = Article.Status, Transition.Action

USERS = ["记者（本人）", "记者（他人）", "编辑", "部门主任", "总编辑", "超级用户"]


def user_for(staff, who):
    return {"记者（本人）": staff.reporter, "记者（他人）": staff.other_reporter, **staff.roles()}[who]


def article_in(status, staff):
    """An article the reporter wrote, standing at ``status``."""
    live = status in (Status.PUBLISHED, Status.WITHDRAWN)
    return ArticleFactory(
        status=status,
        created_by=staff.reporter,
        publish_at=timezone.now() - timedelta(hours=1) if live else None,
        body="<p>原文。</p>",
    )


def post_step(client, article, action, **fields):
    return client.post(f"/admin/articles/article/{article.pk}/workflow/", {"action": action, **fields})


# (step, status it starts from, status it leads to, form fields) -> who may take it
STEPS = {
    "submit": (Status.DRAFT, Status.FIRST_REVIEW, {}, {"记者（本人）", "编辑", "超级用户"}),
    "resubmit": (Status.RETURNED, Status.FIRST_REVIEW, {}, {"记者（本人）", "编辑", "超级用户"}),
    "pass_first": (Status.FIRST_REVIEW, Status.SECOND_REVIEW, {}, {"编辑", "超级用户"}),
    "pass_second": (Status.SECOND_REVIEW, Status.FINAL_REVIEW, {}, {"部门主任", "超级用户"}),
    "publish": (Status.FINAL_REVIEW, Status.PUBLISHED, {}, {"总编辑", "超级用户"}),
    "schedule": (Status.FINAL_REVIEW, Status.PUBLISHED, {"publish_at": "2099-01-01T08:00"}, {"总编辑", "超级用户"}),
    "return@初审": (Status.FIRST_REVIEW, Status.RETURNED, {"comment": "导语太长"}, {"编辑", "超级用户"}),
    "return@复审": (Status.SECOND_REVIEW, Status.RETURNED, {"comment": "数据要核实"}, {"部门主任", "超级用户"}),
    "return@终审": (Status.FINAL_REVIEW, Status.RETURNED, {"comment": "标题再斟酌"}, {"总编辑", "超级用户"}),
    "withdraw": (Status.PUBLISHED, Status.WITHDRAWN, {"comment": "当事人要求更正"}, {"总编辑", "超级用户"}),
    "reopen": (Status.WITHDRAWN, Status.DRAFT, {}, {"总编辑", "超级用户"}),
}
ACTION_OF = {"resubmit": "submit", "schedule": "publish"}


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("step", STEPS)
def test_permission_matrix_for_steps(staff, client_for, step, who):
    start, end, fields, allowed = STEPS[step]
    article = article_in(start, staff)
    action = ACTION_OF.get(step, step.split("@")[0])
    response = post_step(client_for(user_for(staff, who)), article, action, **fields)
    article.refresh_from_db()
    if who in allowed:
        assert response.status_code == 302
        assert article.status == end
        record = article.transitions.get()
        assert (record.action, record.from_status, record.to_status) == (action, start, end)
        assert record.actor == user_for(staff, who)
        assert record.comment == fields.get("comment", "")
    else:
        assert response.status_code == 403
        assert article.status == start
        assert not article.transitions.exists()


EDITS = {
    "草稿": (Status.DRAFT, {"记者（本人）", "编辑", "超级用户"}),
    "已退回": (Status.RETURNED, {"记者（本人）", "编辑", "超级用户"}),
    "审稿中": (Status.SECOND_REVIEW, {"编辑", "部门主任", "超级用户"}),  # 复审: the desk head edits at their stage
    "已发布": (Status.PUBLISHED, {"编辑", "超级用户"}),
}


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("state", EDITS)
def test_permission_matrix_for_editing(staff, client_for, state, who):

    status, allowed = EDITS[state]
    article = article_in(status, staff)
    response = client_for(user_for(staff, who)).post(
        f"/admin/articles/article/{article.pk}/change/", article_form(article, body="<p>改过的正文。</p>")
    )
    article.refresh_from_db()
    if who in allowed:
        assert response.status_code == 302
        assert article.body == "<p>改过的正文。</p>"
        assert article.status == status  # editing never moves an article along 三审
    else:
        assert response.status_code == 403
        assert article.body == "<p>原文。</p>"


@pytest.mark.parametrize("who", USERS)
def test_permission_matrix_for_corrections(staff, client_for, who):
    article = article_in(Status.PUBLISHED, staff)
    response = client_for(user_for(staff, who)).post(
        f"/admin/articles/article/{article.pk}/correction/", {"text": "原文“鹤山市”应为“台山市”。"}
    )
    if who in {"总编辑", "超级用户"}:
        assert response.status_code == 302
        assert Correction.objects.get().text == "原文“鹤山市”应为“台山市”。"
    else:
        assert response.status_code == 403
        assert not Correction.objects.exists()


def test_services_enforce_the_rules_without_the_admin(staff):
    """Commands and views call the services; the rules hold there too."""
    article = article_in(Status.FINAL_REVIEW, staff)
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, by=staff.editor)
    with pytest.raises(PermissionDenied):
        services.article_save(article=article, by=staff.reporter)
    with pytest.raises(PermissionDenied):
        services.article_add_correction(article=article, by=staff.editor, text="更正")
    article.refresh_from_db()
    assert article.status == Status.FINAL_REVIEW


# --- a step the status does not allow is a clear error, never a silent no-op ---


def test_a_step_from_the_wrong_status_is_refused_with_a_message(staff, client_for):
    article = article_in(Status.DRAFT, staff)
    response = post_step(client_for(staff.chief), article, "publish")
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("现在是“草稿”，不能“终审签发”" in m for m in messages)
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_a_stale_page_cannot_pass_an_article_twice(staff, client_for):
    article = article_in(Status.FIRST_REVIEW, staff)
    editor = client_for(staff.editor)
    post_step(editor, article, "pass_first")
    response = post_step(editor, article, "pass_first")  # the same button, from a page opened earlier
    assert "现在是“待复审”，不能“初审通过”" in str(list(get_messages(response.wsgi_request))[-1])
    assert article.transitions.count() == 1


@pytest.mark.parametrize("action", ["return", "withdraw"])
def test_return_and_withdraw_need_a_reason(staff, client_for, action):
    status = Status.PUBLISHED if action == "withdraw" else Status.FINAL_REVIEW
    article = article_in(status, staff)
    response = post_step(client_for(staff.chief), article, action, comment="   ")
    assert "必须写明意见或理由" in str(list(get_messages(response.wsgi_request))[-1])
    article.refresh_from_db()
    assert article.status == status


def test_scheduled_time_is_read_as_beijing_time(staff, client_for):
    article = article_in(Status.FINAL_REVIEW, staff)
    post_step(client_for(staff.chief), article, "publish", publish_at="2099-01-01T08:00")
    article.refresh_from_db()
    assert article.publish_at.isoformat() == "2099-01-01T00:00:00+00:00"
    assert article.display_status == "已排期"


def test_a_bad_schedule_time_is_refused(staff, client_for):
    article = article_in(Status.FINAL_REVIEW, staff)
    response = post_step(client_for(staff.chief), article, "publish", publish_at="明天早上")
    assert "看不懂发布时间" in str(list(get_messages(response.wsgi_request))[-1])
    assert Article.objects.get().status == Status.FINAL_REVIEW


def test_the_full_chain_is_on_record_and_shown_on_the_article_page(staff, client_for):
    article = article_in(Status.DRAFT, staff)
    post_step(client_for(staff.reporter), article, "submit")
    post_step(client_for(staff.editor), article, "return", comment="导语太长，请压缩")
    post_step(client_for(staff.reporter), article, "submit")
    post_step(client_for(staff.editor), article, "pass_first")
    post_step(client_for(staff.desk_head), article, "pass_second")
    post_step(client_for(staff.chief), article, "publish")
    article.refresh_from_db()
    assert article.is_live and article.first_published_at is not None
    assert [(t.action, t.actor.username) for t in article.transitions.all()] == [
        ("submit", "reporter"),
        ("return", "editor"),
        ("submit", "reporter"),
        ("pass_first", "editor"),
        ("pass_second", "deskhead"),
        ("publish", "chief"),
    ]
    html = client_for(staff.chief).get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    history = html[html.index("签发记录") :]
    for text in (
        "提交审稿",
        "退回",
        "导语太长，请压缩",
        "初审通过",
        "复审通过",
        "终审签发",
        "陈编辑",
        "黄主任",
        "张总编",
    ):
        assert text in history


def test_the_page_offers_only_the_steps_this_user_may_take(staff, client_for):
    article = article_in(Status.FIRST_REVIEW, staff)
    editor_page = client_for(staff.editor).get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert 'value="pass_first"' in editor_page and 'value="return"' in editor_page
    assert 'value="publish"' not in editor_page
    chief_page = client_for(staff.chief).get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert 'value="pass_first"' not in chief_page and "没有可以对这篇文章执行的审稿操作" in chief_page


def test_editing_a_published_article_keeps_it_published_and_is_logged(staff, client_for):

    article = article_in(Status.PUBLISHED, staff)
    client_for(staff.editor).post(
        f"/admin/articles/article/{article.pk}/change/", article_form(article, body="<p>补充了细节。</p>")
    )
    article.refresh_from_db()
    assert article.is_live and article.body == "<p>补充了细节。</p>"
    logged = article.transitions.get()
    assert (logged.action, logged.actor) == (Action.EDIT_PUBLISHED, staff.editor)


def test_withdrawn_article_leaves_the_site_and_can_be_reopened(staff, client_for, client):
    article = article_in(Status.PUBLISHED, staff)
    assert client.get(article.get_absolute_url()).status_code == 200
    post_step(client_for(staff.chief), article, "withdraw", comment="涉及未核实信息")
    assert client.get(article.get_absolute_url()).status_code == 404
    post_step(client_for(staff.chief), article, "reopen")
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.transitions.filter(action="withdraw", comment="涉及未核实信息").exists()


def test_correction_is_shown_to_readers_at_the_top(staff, client_for, client):
    article = article_in(Status.PUBLISHED, staff)
    client_for(staff.chief).post(
        f"/admin/articles/article/{article.pk}/correction/", {"text": "“鹤山市”应为“台山市”。"}
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.index("“鹤山市”应为“台山市”。") < html.index("<h1>")
    assert f"{timezone.localdate():%Y}年" in html[html.index('class="correction"') :]


def test_corrections_only_on_published_articles(staff):
    with pytest.raises(ValidationError, match="只有已发布的文章才能添加更正"):
        services.article_add_correction(article=article_in(Status.DRAFT, staff), by=staff.chief, text="更正")


# --- bulk actions go through the same rules ---------------------------------------


def test_bulk_pass_reports_refusals_and_passes_the_rest(staff, client_for):
    ready = article_in(Status.FIRST_REVIEW, staff)
    draft = article_in(Status.DRAFT, staff)
    response = client_for(staff.editor).post(
        "/admin/articles/article/",
        {"action": "pass_first_selected", "_selected_action": [ready.pk, draft.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "初审通过：1 篇。" in html and "现在是“草稿”，不能“初审通过”" in html
    assert Article.objects.get(pk=ready.pk).status == Status.SECOND_REVIEW
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT


def test_bulk_actions_are_offered_by_permission(staff, client_for):
    article_in(Status.SECOND_REVIEW, staff)
    page = client_for(staff.desk_head).get("/admin/articles/article/").content.decode()
    assert 'value="pass_second_selected"' in page
    assert 'value="pass_first_selected"' not in page and 'value="publish_selected"' not in page


def test_reporter_cannot_bulk_submit_someone_elses_article(staff, client_for):
    theirs = ArticleFactory(draft=True, created_by=staff.other_reporter)
    response = client_for(staff.reporter).post(
        "/admin/articles/article/", {"action": "submit_selected", "_selected_action": [theirs.pk]}, follow=True
    )
    assert "只能提交自己的稿件" in response.content.decode()
    assert Article.objects.get(pk=theirs.pk).status == Status.DRAFT
