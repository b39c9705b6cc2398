"""三审分离: three different people sign an article's three stages, none of them its author.

Every stage × every person, in the service (the refusal names the rule), on
the change page (the 三审 panel offers only what the person may do) and in
the POST the panel sends. 退回 is a review decision too: the same people may
or may not make it as may pass the stage.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from articles import services
from articles.models import Article, Transition
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, UserFactory
from tests.helpers.admin_pages import change_page

pytestmark = pytest.mark.django_db

Status, Action = Article.Status, Transition.Action

PEOPLE = ["记者", "编辑", "部门主任", "总编辑", "编辑+部门主任", "超级用户"]
# stage: (the pass that signs it, where the pass sends the article)
PASS = {
    Status.FIRST_REVIEW: ("pass_first", Status.SECOND_REVIEW),
    Status.SECOND_REVIEW: ("pass_second", Status.FINAL_REVIEW),
    Status.FINAL_REVIEW: ("publish", Status.PUBLISHED),
}
TITLE = "侨乡村焕新颜"


@pytest.fixture
def people(staff):
    return {
        **staff.roles(),
        "编辑+部门主任": UserFactory(username="twohats", first_name="刘双岗", roles=["编辑", "部门主任"]),
    }


def article_with(people, author, history):
    """A draft by ``author`` taken through ``history`` [(action, who)] by the services."""
    article = ArticleFactory(draft=True, title=TITLE, created_by=people[author])
    for action, who in history:
        services.article_transition(article=article, by=people[who], action=action, comment="意见")
    article.refresh_from_db()
    return article


OK, NO = "ok", "no permission"


def AUTHOR(stage):
    return f"作者不能审自己的稿件：《{TITLE}》是你创建的，{stage}请交给另一位同事。"


def SIGNED(signed, stage):
    return f"三审须由三位不同的人签发：你已签过《{TITLE}》的{signed}，{stage}请交给另一位同事。"


SUBMITTED = [("submit", "记者")]
PASSED_FIRST = [*SUBMITTED, ("pass_first", "编辑")]
PASSED_SECOND = [*PASSED_FIRST, ("pass_second", "部门主任")]

# scenario: (author, history, the stage the article is at, {person: outcome})
SCENARIOS = {
    "初审": (
        "记者",
        SUBMITTED,
        Status.FIRST_REVIEW,
        {"记者": NO, "编辑": OK, "部门主任": NO, "总编辑": NO, "编辑+部门主任": OK, "超级用户": OK},
    ),
    "复审": (
        "记者",
        PASSED_FIRST,
        Status.SECOND_REVIEW,
        # the editor who passed 初审 holds no 复审 permission either
        {"记者": NO, "编辑": NO, "部门主任": OK, "总编辑": NO, "编辑+部门主任": OK, "超级用户": OK},
    ),
    "终审": (
        "记者",
        PASSED_SECOND,
        Status.FINAL_REVIEW,
        {"记者": NO, "编辑": NO, "部门主任": NO, "总编辑": OK, "编辑+部门主任": NO, "超级用户": OK},
    ),
    "复审，初审由双岗的人签": (
        "记者",
        [*SUBMITTED, ("pass_first", "编辑+部门主任")],
        Status.SECOND_REVIEW,
        {"部门主任": OK, "编辑+部门主任": SIGNED("初审", "复审"), "超级用户": OK},
    ),
    "复审，初审由超级用户签": (
        "记者",
        [*SUBMITTED, ("pass_first", "超级用户")],
        Status.SECOND_REVIEW,
        {"部门主任": OK, "编辑+部门主任": OK, "超级用户": SIGNED("初审", "复审")},
    ),
    "终审，复审由超级用户签": (
        "记者",
        [*PASSED_FIRST, ("pass_second", "超级用户")],
        Status.FINAL_REVIEW,
        {"总编辑": OK, "超级用户": SIGNED("复审", "终审")},
    ),
    "初审，编辑写的稿": (
        "编辑",
        [("submit", "编辑")],
        Status.FIRST_REVIEW,
        {"编辑": AUTHOR("初审"), "编辑+部门主任": OK, "超级用户": OK},
    ),
    "复审，双岗的人写的稿": (
        "编辑+部门主任",
        [("submit", "编辑+部门主任"), ("pass_first", "编辑")],
        Status.SECOND_REVIEW,
        {"部门主任": OK, "编辑+部门主任": AUTHOR("复审"), "超级用户": OK},
    ),
    "终审，超级用户写的稿": (
        "超级用户",
        [("submit", "超级用户"), ("pass_first", "编辑"), ("pass_second", "部门主任")],
        Status.FINAL_REVIEW,
        {"总编辑": OK, "超级用户": AUTHOR("终审")},
    ),
    # 退回 and resubmission start a new round: what was signed before it does not count.
    "复审，上一轮初审由双岗的人签": (
        "记者",
        [
            *SUBMITTED,
            ("pass_first", "编辑+部门主任"),
            ("return", "部门主任"),
            ("submit", "记者"),
            ("pass_first", "编辑"),
        ],
        Status.SECOND_REVIEW,
        {"编辑+部门主任": OK, "超级用户": OK},
    ),
}
CASES = [
    (scenario, who, decision)
    for scenario, (_author, _history, _stage, outcomes) in SCENARIOS.items()
    for who in outcomes
    for decision in ("pass", "return")
]


def post_step(client, article, action, **fields):
    return client.post(f"/admin/articles/article/{article.pk}/workflow/", {"action": action, **fields})


@pytest.mark.parametrize(("scenario", "who", "decision"), CASES)
def test_permission_matrix_with_separation_of_duties(people, client_for, scenario, who, decision):
    author, history, stage, outcomes = SCENARIOS[scenario]
    expected = outcomes[who]
    article = article_with(people, author, history)
    assert article.status == stage
    action, passed_to = PASS[stage]
    if decision == "return":
        action = "return"
    recorded = article.transitions.count()
    client = client_for(people[who])

    offered = f'value="{action}"' in change_page(client, article)
    response = post_step(client, article, action, comment="请核实数据")
    article.refresh_from_db()

    if expected == OK:
        assert offered
        assert response.status_code == 302
        assert article.status == (Status.RETURNED if decision == "return" else passed_to)
        assert article.transitions.last().actor == people[who]
        return
    assert not offered
    assert response.status_code == 403
    assert (article.status, article.transitions.count()) == (stage, recorded)
    with pytest.raises(PermissionDenied) as refused:
        services.article_transition(article=article, by=people[who], action=action, comment="请核实数据")
    if expected == NO:
        assert str(refused.value) == f"你没有权限对《{TITLE}》执行“{Action(action).label}”。"
    else:
        assert str(refused.value) == expected  # the rule, by name
        assert expected in response.content.decode()  # on the 403 page too


def test_one_person_in_two_groups_signs_one_stage_and_sees_the_next_as_a_reader(people, client_for):
    two_hats = client_for(people["编辑+部门主任"])
    article = article_with(people, "记者", SUBMITTED)
    page = change_page(two_hats, article)
    assert 'value="pass_first"' in page and 'value="return"' in page
    post_step(two_hats, article, "pass_first")
    page = change_page(two_hats, article)
    assert 'value="pass_second"' not in page and 'value="return"' not in page
    assert "你现在没有可以对这篇文章执行的审稿操作" in page
    post_step(client_for(people["部门主任"]), article, "pass_second")
    post_step(client_for(people["总编辑"]), article, "publish")
    article.refresh_from_db()
    assert article.is_live
    assert [(t.action, t.actor.username) for t in article.transitions.all()] == [
        ("submit", "reporter"),
        ("pass_first", "twohats"),
        ("pass_second", "deskhead"),
        ("publish", "chief"),
    ]


def test_rescheduling_is_the_same_stage_signed_again(people, client_for):
    """The editor-in-chief who signed 终审 may re-sign the scheduled article with a new time."""
    article = article_with(people, "记者", PASSED_SECOND)
    chief = client_for(people["总编辑"])
    post_step(chief, article, "publish", publish_at="2099-01-01T08:00")
    assert 'value="publish"' in change_page(chief, article)
    assert post_step(chief, article, "publish", publish_at="2099-02-01T08:00").status_code == 302
    article.refresh_from_db()
    assert article.publish_at.isoformat() == "2099-02-01T00:00:00+00:00"


def test_bulk_actions_obey_the_rule_and_say_which(people, client_for):
    signed_first = article_with(people, "记者", [*SUBMITTED, ("pass_first", "编辑+部门主任")])
    other = article_with(people, "记者", PASSED_FIRST)
    response = client_for(people["编辑+部门主任"]).post(
        "/admin/articles/article/",
        {"action": "pass_second_selected", "_selected_action": [signed_first.pk, other.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "复审通过：1 篇。" in html and SIGNED("初审", "复审") in html
    assert Article.objects.get(pk=signed_first.pk).status == Status.SECOND_REVIEW
    assert Article.objects.get(pk=other.pk).status == Status.FINAL_REVIEW


@override_settings(NEWSROOM_REVIEW_SEPARATION=False)
def test_a_small_desk_may_turn_the_rule_off(people, client_for):
    """One person in two groups passes two stages, and the superuser signs the
    article they wrote, when NEWSROOM_REVIEW_SEPARATION is off."""
    two_hats = client_for(people["编辑+部门主任"])
    article = article_with(people, "编辑+部门主任", [("submit", "编辑+部门主任")])
    for action in ("pass_first", "pass_second"):
        assert f'value="{action}"' in change_page(two_hats, article)
        assert post_step(two_hats, article, action).status_code == 302
    article.refresh_from_db()
    assert article.status == Status.FINAL_REVIEW

    root = client_for(people["超级用户"])
    own = article_with(people, "超级用户", [("submit", "超级用户")])
    for action in ("pass_first", "pass_second", "publish"):
        assert f'value="{action}"' in change_page(root, own)
        assert post_step(root, own, action).status_code == 302
    own.refresh_from_db()
    assert own.is_live
    assert {t.actor for t in own.transitions.all()} == {people["超级用户"]}


def test_a_colleague_named_in_the_byline_is_an_author_too(people, client_for):
    """The editor wrote the article with the reporter: the byline's 作者 linked to
    the editor's account (本社账号) keeps the editor from passing its 初审."""
    article = article_with(people, "记者", SUBMITTED)
    BylineFactory(article=article, contributor=ContributorFactory(name="李编辑", user=people["编辑"]))
    editor = client_for(people["编辑"])
    assert 'value="pass_first"' not in change_page(editor, article)
    assert post_step(editor, article, "pass_first").status_code == 403
    with pytest.raises(PermissionDenied) as refused:
        services.article_transition(article=article, by=people["编辑"], action=Action.PASS_FIRST)
    assert str(refused.value) == f"作者不能审自己的稿件：《{TITLE}》的署名有你，初审请交给另一位同事。"
    # A byline under a name with no account, or someone else's, binds no one.
    BylineFactory(article=article, contributor=ContributorFactory(name="王通讯员"))
    post_step(client_for(people["编辑+部门主任"]), article, "pass_first")
    article.refresh_from_db()
    assert article.status == Status.SECOND_REVIEW
