"""Rules of articles/review_rules.py that the mutation check found untested
(docs/testing.md, "Mutation check")."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from articles import review_rules, services
from articles.models import Article, Transition
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_account_no_longer_staff_cannot_preview_though_it_keeps_its_role(client_for):
    """Previewing takes staff status and the permission to see articles:
    a reporter whose staff flag was taken away, still in the 记者 group,
    gets the public 404 for a draft."""
    former = UserFactory(username="former", roles=["记者"], is_staff=False)
    assert former.has_perm("articles.view_article")
    draft = ArticleFactory(title="尚未签发的稿件", draft=True)
    assert client_for(former).get(draft.get_absolute_url()).status_code == 404


# --- 三审 steps, editing and preview links, asked of the rules directly ---------------------

Status, Action = Article.Status, Transition.Action
TITLE = "侨乡村焕新颜"


def article_at(status, author, **fields):
    """An article ``author`` wrote, standing at ``status`` (a published one live since an hour ago)."""
    if status in (Status.PUBLISHED, Status.WITHDRAWN):
        fields.setdefault("publish_at", timezone.now() - timedelta(hours=1))
    else:
        fields.setdefault("publish_at", None)
    return ArticleFactory(title=TITLE, status=status, created_by=author, **fields)


def scheduled(author):
    """Signed off for tomorrow: 已排期, still 终审's to re-sign."""
    return article_at(Status.PUBLISHED, author, publish_at=timezone.now() + timedelta(days=1))


def people(staff):
    reader = UserFactory(username="reader", first_name="赵读者")  # staff, in no group
    return {
        "记者（本人）": staff.reporter,
        "记者（他人）": staff.other_reporter,
        **staff.roles(),
        "无角色": reader,
    }


ALL = ["记者（本人）", "记者（他人）", "编辑", "部门主任", "总编辑", "超级用户", "无角色"]

# status: {who: the steps offered, in the order of the 三审 panel}; everyone else: none
OFFERED = {
    "草稿": {"记者（本人）": ["submit"], "编辑": ["submit"], "超级用户": ["submit"]},
    "已退回": {"记者（本人）": ["submit"], "编辑": ["submit"], "超级用户": ["submit"]},
    "待初审": {"编辑": ["pass_first", "return"], "超级用户": ["pass_first", "return"]},
    "待复审": {"部门主任": ["pass_second", "return"], "超级用户": ["pass_second", "return"]},
    "待终审": {"总编辑": ["publish", "return"], "超级用户": ["publish", "return"]},
    "已发布": {"总编辑": ["withdraw"], "超级用户": ["withdraw"]},
    "已排期": {"总编辑": ["publish", "withdraw"], "超级用户": ["publish", "withdraw"]},
    "已撤稿": {"总编辑": ["reopen"], "超级用户": ["reopen"]},
}
STATUS_OF = {
    "草稿": Status.DRAFT,
    "已退回": Status.RETURNED,
    "待初审": Status.FIRST_REVIEW,
    "待复审": Status.SECOND_REVIEW,
    "待终审": Status.FINAL_REVIEW,
    "已发布": Status.PUBLISHED,
    "已撤稿": Status.WITHDRAWN,
}


def article_in(state, staff):
    return scheduled(staff.reporter) if state == "已排期" else article_at(STATUS_OF[state], staff.reporter)


@pytest.mark.parametrize("state", OFFERED)
def test_each_role_is_offered_the_steps_of_its_stage_and_no_other(staff, state):
    """What the 三审 panel offers each person on a reporter's article (nothing
    signed yet, so 三审分离 refuses no one): the stage's reviewer passes or
    returns it, only the author or an editor submits it, only 终审 re-signs a
    scheduled article, and a live one is withdrawn, not signed again."""
    article = article_in(state, staff)
    everyone = people(staff)
    offered = {who: [step.action for step in review_rules.allowed_steps(everyone[who], article)] for who in ALL}
    assert offered == {who: OFFERED[state].get(who, []) for who in ALL}


def test_a_refused_step_says_why(staff):
    """The refusal names the article, the step and the reason: no permission,
    not one's own article to submit, or not possible from where it stands."""
    cases = [
        (
            staff.other_reporter,
            Action.SUBMIT,
            Status.DRAFT,
            PermissionDenied,
            "只能提交自己的稿件：《侨乡村焕新颜》不是你创建的。",
        ),
        (
            staff.desk_head,
            Action.PASS_FIRST,
            Status.FIRST_REVIEW,
            PermissionDenied,
            "你没有权限对《侨乡村焕新颜》执行“初审通过”。",
        ),
        (
            staff.desk_head,
            Action.RETURN,
            Status.FIRST_REVIEW,
            PermissionDenied,
            "你没有权限对《侨乡村焕新颜》执行“退回”。",
        ),
        (
            staff.chief,
            Action.PUBLISH,
            Status.PUBLISHED,
            ValidationError,
            "《侨乡村焕新颜》现在是“已发布”，不能“终审签发”。",
        ),
        # 退回 from a draft is refused for where the article stands, not for a missing permission
        (staff.editor, Action.RETURN, Status.DRAFT, ValidationError, "《侨乡村焕新颜》现在是“草稿”，不能“退回”。"),
    ]
    for user, action, status, error, message in cases:
        with pytest.raises(error) as refused:
            review_rules.check_step(user, action, article_at(status, staff.reporter))
        assert _message(refused.value) == message


def test_an_action_that_is_recorded_not_taken_is_refused_by_name(staff):
    with pytest.raises(ValidationError) as refused:
        review_rules.check_step(staff.superuser, "import", article_at(Status.FINAL_REVIEW, staff.reporter))
    assert refused.value.messages == ["“import”不是三审里可以执行的操作。"]


def test_without_a_person_only_where_the_article_stands_is_checked(staff):
    """``check_step(None, …)``: no permission and no 三审分离 to check, only the status."""
    article = article_at(Status.FIRST_REVIEW, staff.editor)
    assert review_rules.check_step(None, Action.PASS_FIRST, article).target == Status.SECOND_REVIEW
    with pytest.raises(ValidationError):
        review_rules.check_step(None, Action.PASS_SECOND, article)


def _message(error) -> str:
    return error.messages[0] if isinstance(error, ValidationError) else str(error)


# --- 三审分离 -----------------------------------------------------------------------


def test_the_author_may_neither_pass_nor_return_their_own_article(staff):
    article = article_at(Status.FIRST_REVIEW, staff.editor)
    for action in (Action.PASS_FIRST, Action.RETURN):
        with pytest.raises(PermissionDenied) as refused:
            review_rules.check_step(staff.editor, action, article)
        assert str(refused.value) == f"作者不能审自己的稿件：《{TITLE}》是你创建的，初审请交给另一位同事。"
    assert review_rules.allowed_steps(staff.editor, article) == []


def test_a_reviewer_named_in_the_byline_is_refused_as_an_author(staff):
    """A byline under the desk head's account makes them an author; one under a
    name with no account binds no one."""
    article = article_at(Status.SECOND_REVIEW, staff.reporter)
    BylineFactory(article=article, contributor=ContributorFactory(name="王通讯员"))
    assert [s.action for s in review_rules.allowed_steps(staff.desk_head, article)] == ["pass_second", "return"]
    assert review_rules.can_edit(staff.desk_head, article)

    article = Article.objects.get(pk=article.pk)  # what the rules read is read once per instance
    BylineFactory(article=article, contributor=ContributorFactory(name="黄主任", user=staff.desk_head))
    with pytest.raises(PermissionDenied) as refused:
        review_rules.check_step(staff.desk_head, Action.RETURN, article)
    assert str(refused.value) == f"作者不能审自己的稿件：《{TITLE}》的署名有你，复审请交给另一位同事。"
    assert review_rules.is_author(staff.desk_head, article) is True
    assert not review_rules.can_edit(staff.desk_head, article)  # nor edits it at their stage
    assert review_rules.is_author(staff.chief, article) is False


def test_who_signed_one_stage_may_not_decide_the_next(staff):
    two_hats = UserFactory(username="twohats", first_name="刘双岗", roles=["编辑", "部门主任"])
    article = article_at(Status.DRAFT, staff.reporter)
    services.article_transition(article=article, by=staff.reporter, action=Action.SUBMIT)
    services.article_transition(article=article, by=two_hats, action=Action.PASS_FIRST)
    article = Article.objects.get(pk=article.pk)
    for action in (Action.PASS_SECOND, Action.RETURN):
        with pytest.raises(PermissionDenied) as refused:
            review_rules.check_step(two_hats, action, article)
        assert str(refused.value) == f"三审须由三位不同的人签发：你已签过《{TITLE}》的初审，复审请交给另一位同事。"
    assert review_rules.stages_signed(two_hats, article) == {Status.FIRST_REVIEW}
    # the desk head signed nothing: someone else's 初审 binds no one
    assert review_rules.separation_refusal(staff.desk_head, article, Status.SECOND_REVIEW) is None
    assert [s.action for s in review_rules.allowed_steps(staff.desk_head, article)] == ["pass_second", "return"]


@override_settings(NEWSROOM_REVIEW_SEPARATION=False)
def test_with_the_rule_off_the_author_reviews_their_own_article(staff):
    article = article_at(Status.FIRST_REVIEW, staff.editor)
    assert review_rules.separation_refusal(staff.editor, article, Status.FIRST_REVIEW) is None
    assert [s.action for s in review_rules.allowed_steps(staff.editor, article)] == ["pass_first", "return"]


def test_an_article_not_yet_saved_has_no_byline_and_no_record(staff):
    """The add page asks the rules about an article with no id yet: no one is
    in its byline and no one has signed it."""
    unsaved = Article(title=TITLE, status=Status.FIRST_REVIEW)
    assert review_rules.is_author(staff.editor, unsaved) is False
    assert review_rules.stages_signed(staff.editor, unsaved) == frozenset()
    assert review_rules.separation_refusal(staff.editor, unsaved, Status.FIRST_REVIEW) is None


def test_a_round_starts_at_each_submission_and_counts_only_ones_own_passes():
    """``signed_in_round`` reads the (action, actor id) records in order."""
    records = [
        (Action.SUBMIT, 2),
        (Action.PASS_FIRST, 1),
        (Action.RETURN, 3),
        (Action.SUBMIT, 2),  # a new round: 1's 初审 above no longer counts
        (Action.PASS_FIRST, 3),
        (Action.PASS_SECOND, 1),
        (Action.RETURN, 1),
        (Action.PUBLISH, 4),
        (Action.PUBLISH, None),
    ]
    assert review_rules.signed_in_round(records, 1) == {Status.SECOND_REVIEW}
    assert review_rules.signed_in_round(records, 3) == {Status.FIRST_REVIEW}
    assert review_rules.signed_in_round(records, 2) == set()
    assert review_rules.signed_in_round(records, None) == set()
    # a history with no submission (an imported article re-signed) is one round
    assert review_rules.signed_in_round([(Action.IMPORT, None), (Action.PUBLISH, 4)], 4) == {Status.FINAL_REVIEW}


# --- editing, preview links and corrections ---------------------------------------

# status: who edits a reporter's article there; everyone else does not
EDITS = {
    "草稿": {"记者（本人）", "编辑", "超级用户"},
    "已退回": {"记者（本人）", "编辑", "超级用户"},
    "待初审": {"编辑", "超级用户"},
    "待复审": {"编辑", "部门主任", "超级用户"},
    "待终审": {"编辑", "总编辑", "超级用户"},
    "已发布": {"编辑", "超级用户"},
    "已排期": {"编辑", "总编辑", "超级用户"},
}


def who_may(rule, staff, *article) -> set[str]:
    """The people of ``ALL`` for whom ``rule(person, *article)`` holds."""
    everyone = people(staff)
    return {who for who in ALL if rule(everyone[who], *article)}


@pytest.mark.parametrize("state", EDITS)
def test_who_edits_an_article_where_it_stands(staff, state):
    assert who_may(review_rules.can_edit, staff, article_in(state, staff)) == EDITS[state]


def test_who_may_edit_articles_at_all(staff):
    """Without an article (the change list, the add page): whoever holds the
    change permission, whatever their role."""
    assert who_may(review_rules.can_edit, staff) == set(ALL) - {"无角色"}


# status: who may make a preview link to a reporter's article there
PREVIEWS = {
    "草稿": {"记者（本人）", "编辑", "超级用户"},
    "待初审": {"编辑", "超级用户"},
    "待复审": {"编辑", "部门主任", "超级用户"},
    "已排期": {"编辑", "总编辑", "超级用户"},
}


@pytest.mark.parametrize("state", PREVIEWS)
def test_who_may_make_a_preview_link_where_the_article_stands(staff, state):
    assert who_may(review_rules.can_make_preview_link, staff, article_in(state, staff)) == PREVIEWS[state]


def test_the_stage_reviewer_named_in_the_byline_still_makes_preview_links(staff):
    """三审分离 keeps the chief from editing an article they co-wrote at 终审,
    not from sending it out for a look."""
    article = article_at(Status.FINAL_REVIEW, staff.reporter)
    BylineFactory(article=article, contributor=ContributorFactory(name="张总编", user=staff.chief))
    assert not review_rules.can_edit(staff.chief, article)
    assert review_rules.can_make_preview_link(staff.chief, article)


def test_preview_links_take_a_staff_account(staff):
    former = UserFactory(username="former", roles=["记者"], is_staff=False)
    assert not review_rules.can_make_preview_link(former, article_at(Status.DRAFT, former))


def test_whoever_may_edit_any_article_makes_preview_links(staff):
    """A group reshaped in the admin to read and edit any article, without the
    change permission, still makes links (``edit_any_article`` is enough)."""
    proof_desk = UserFactory(username="proofdesk", first_name="校对组")
    proof_desk.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=["view_article", "edit_any_article"])
    )
    proof_desk = type(proof_desk).objects.get(pk=proof_desk.pk)  # permissions are cached per instance
    assert review_rules.can_make_preview_link(proof_desk, article_at(Status.DRAFT, staff.reporter))


def test_a_refused_correction_says_why(staff):
    published = article_at(Status.PUBLISHED, staff.reporter)
    with pytest.raises(PermissionDenied) as refused:
        review_rules.check_correct(staff.editor, published)
    assert str(refused.value) == f"你没有权限为《{TITLE}》添加更正。"
    with pytest.raises(ValidationError) as refused:
        review_rules.check_correct(staff.chief, article_at(Status.FINAL_REVIEW, staff.reporter))
    assert refused.value.messages == ["只有已发布的文章才能添加更正。"]
    assert review_rules.check_correct(staff.chief, published) is None
