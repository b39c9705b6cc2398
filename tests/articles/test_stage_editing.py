"""The reviewer of an article's stage edits it during that stage (部门主任 at
复审, 总编辑 at 终审); anyone else who may only read it sees the body as
readers will, never flattened to text."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from articles import roles, services
from articles.models import Article
from tests.factories import ArticleFactory, ContributorFactory, UserFactory
from tests.forms import article_form

pytestmark = pytest.mark.django_db

Status = Article.Status
stage_editors = importlib.import_module("articles.migrations.0008_stage_editors")

PEOPLE = ["记者（作者）", "编辑", "部门主任", "总编辑", "超级用户"]
LATER = timezone.now() + timedelta(days=1)
EARLIER = timezone.now() - timedelta(hours=1)
# state: (status, publish_at) -> who may edit the article and its bylines
STAGES = {
    "待初审": (Status.FIRST_REVIEW, None, {"编辑", "超级用户"}),
    "待复审": (Status.SECOND_REVIEW, None, {"编辑", "部门主任", "超级用户"}),
    "待终审": (Status.FINAL_REVIEW, None, {"编辑", "总编辑", "超级用户"}),
    # signed, not live yet: still the editor-in-chief's, who may re-sign it
    "已排期": (Status.PUBLISHED, LATER, {"编辑", "总编辑", "超级用户"}),
    # live: editors edit (recorded as 修改已发布稿件); the editor-in-chief corrects or withdraws
    "已发布": (Status.PUBLISHED, EARLIER, {"编辑", "超级用户"}),
}


def person(staff, who):
    return {"记者（作者）": staff.reporter, **staff.roles()}[who]


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("state", STAGES)
def test_who_edits_at_each_stage(staff, client_for, state, who):
    status, publish_at, allowed = STAGES[state]
    article = ArticleFactory(status=status, publish_at=publish_at, created_by=staff.reporter, body="<p>原文。</p>")
    name = ContributorFactory(name="赵可义")
    client = client_for(person(staff, who))
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        article_form(
            article,
            body="<p>改过的正文。</p>",
            **{
                "bylines-TOTAL_FORMS": 1,
                "bylines-0-position": 0,
                "bylines-0-role": "记者",
                "bylines-0-contributor": name.pk,
            },
        ),
    )
    article.refresh_from_db()
    if who in allowed:
        assert 'name="body"' in page and 'name="bylines-TOTAL_FORMS"' in page
        assert response.status_code == 302, response.content.decode()
        assert article.body == "<p>改过的正文。</p>"
        assert [b.contributor.name for b in article.bylines.all()] == ["赵可义"]
        assert article.status == status  # editing never moves an article along 三审
    else:
        assert 'name="body"' not in page
        assert response.status_code == 403
        assert article.body == "<p>原文。</p>" and not article.bylines.exists()


def test_the_services_let_the_stage_reviewer_save(staff):
    article = ArticleFactory(status=Status.FINAL_REVIEW, publish_at=None, created_by=staff.reporter)
    article.title = "终审时改的标题"
    services.article_save(article=article, by=staff.chief)
    assert Article.objects.get(pk=article.pk).title == "终审时改的标题"


def test_a_reviewer_who_may_not_review_the_stage_may_not_edit_it_either(staff, client_for):
    """Someone in two groups who signed 复审 reads the article at 终审; an
    author who heads a desk reads their own article at 复审."""
    two_hats = UserFactory(username="twohats", first_name="刘双岗", roles=["部门主任", "总编辑"])
    article = ArticleFactory(draft=True, created_by=staff.reporter)
    services.article_submit(article=article, by=staff.reporter)
    services.article_transition(article=article, by=staff.editor, action="pass_first")
    url = f"/admin/articles/article/{article.pk}/change/"
    assert 'name="body"' in client_for(two_hats).get(url).content.decode()  # 复审: theirs to edit
    services.article_transition(article=article, by=two_hats, action="pass_second")
    page = client_for(two_hats).get(url).content.decode()
    assert 'name="body"' not in page and 'class="article-body"' in page
    assert 'name="body"' in client_for(staff.chief).get(url).content.decode()

    desk_author = UserFactory(username="deskauthor", first_name="何主任", roles=["部门主任"])
    own = ArticleFactory(status=Status.SECOND_REVIEW, publish_at=None, created_by=desk_author)
    assert (
        'name="body"' not in client_for(desk_author).get(f"/admin/articles/article/{own.pk}/change/").content.decode()
    )


# --- the read-only view renders the body as readers will see it ---------------------

BODY = (
    "<h2>一、侨乡新貌</h2><p>鹤山市把<strong>百千万工程</strong>作为头号工程。</p>"
    "<ul><li>村道硬化</li><li>污水处理</li></ul><script>alert('x')</script>"
)


@pytest.mark.parametrize("reader", ["总编辑 at 复审", "another reporter"])
def test_a_reader_without_change_rights_sees_headings_lists_and_bold(staff, client_for, reader):
    article = ArticleFactory(status=Status.SECOND_REVIEW, publish_at=None, created_by=staff.reporter, body=BODY)
    user = staff.chief if reader.startswith("总编辑") else staff.other_reporter
    html = client_for(user).get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert 'name="body"' not in html
    body = html[html.index('<div class="readonly"><div class="article-body">') :]
    body = body[: body.index("</div></div>")]
    assert "<h2>一、侨乡新貌</h2>" in body
    assert "<strong>百千万工程</strong>" in body
    assert "<ul><li>村道硬化</li><li>污水处理</li></ul>" in body
    assert "alert(" not in body  # cleaned, as on the public page


# --- the data migration gives the groups what they need --------------------------


def articles_permissions(group):
    return set(group.permissions.filter(content_type__app_label="articles").values_list("codename", flat=True))


def set_articles_permissions(group, codenames):
    group.permissions.set(Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))


def test_the_migration_grants_stage_editing_to_groups_as_they_started():
    desk, chief = Group.objects.get(name="部门主任"), Group.objects.get(name="总编辑")
    set_articles_permissions(desk, stage_editors.STARTING["部门主任"])
    chief_reshaped = [*stage_editors.STARTING["总编辑"], "edit_any_article"]  # the newsroom changed it
    set_articles_permissions(chief, chief_reshaped)
    view_image = Permission.objects.get(content_type__app_label="images", codename="view_image")
    desk.permissions.add(view_image)  # other apps' permissions do not count as reshaping

    stage_editors.grant(apps, None)
    assert articles_permissions(desk) == set(stage_editors.STARTING["部门主任"]) | set(stage_editors.STAGE_EDIT)
    assert articles_permissions(chief) == set(chief_reshaped)
    assert view_image in desk.permissions.all()

    stage_editors.revoke(apps, None)
    assert articles_permissions(desk) == set(stage_editors.STARTING["部门主任"])
    assert articles_permissions(chief) == set(chief_reshaped)


def test_a_fresh_database_starts_where_a_migrated_one_ends():
    for name in ("部门主任", "总编辑"):
        assert set(roles.ROLES[name]) == set(stage_editors.STARTING[name]) | set(stage_editors.STAGE_EDIT)
    fresh = Group.objects.get(name="部门主任")  # made by migration 0003 from articles/roles.py
    assert articles_permissions(fresh) == set(roles.ROLES["部门主任"])
