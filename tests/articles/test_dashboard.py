"""待办: the dashboard on the admin index, per role, and the 退回 notice on the article page."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import dashboard, review_rules, services
from articles.models import Article, Transition
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, UserFactory
from tests.helpers.admin_pages import change_page

pytestmark = pytest.mark.django_db

Status, Action = Article.Status, Transition.Action
BEIJING = timezone.get_fixed_timezone(8 * 60)


def make(status, by, title, **fields):
    live = status == Status.PUBLISHED
    return ArticleFactory(
        title=title,
        status=status,
        created_by=by,
        publish_at=fields.pop("publish_at", timezone.now() - timedelta(hours=1) if live else None),
        **fields,
    )


def index(client):
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def queue_html(html, key):
    """The HTML of one list on the dashboard, or None when the page has no such list."""
    start = html.find(f'id="todo-{key}"')
    if start < 0:
        return None
    end = min(i for i in (html.find('class="module todo-queue', start + 1), html.find("</section>", start)) if i > 0)
    return html[start:end]


def count_in(box):
    return int(re.search(r'class="todo-count"[^>]*>(\d+)<', box).group(1))


def returned_by(article, reviewer, reason):
    """An article of the reporter's, passed up to ``reviewer``'s stage, then returned with ``reason``."""
    article.refresh_from_db()
    return services.article_return(article=article, by=reviewer, comment=reason)


# --- what each role sees ------------------------------------------------------------------


def test_reporter_sees_own_returned_scheduled_and_drafts_and_nothing_of_others(staff, client_for):
    now = timezone.now()
    mine_returned = make(Status.FIRST_REVIEW, staff.reporter, "我被退回的稿")
    returned_by(mine_returned, staff.editor, "导语太长，请压缩到两句。")
    others_returned = make(Status.FIRST_REVIEW, staff.other_reporter, "别人被退回的稿")
    returned_by(others_returned, staff.editor, "别人的退回意见")
    make(Status.DRAFT, staff.reporter, "我的草稿甲")
    make(Status.DRAFT, staff.other_reporter, "别人的草稿")
    make(Status.PUBLISHED, staff.reporter, "我的定时稿", publish_at=now + timedelta(days=1))
    make(Status.PUBLISHED, staff.other_reporter, "别人的定时稿", publish_at=now + timedelta(days=1))
    make(Status.PUBLISHED, staff.reporter, "我已发布的稿")
    make(Status.PUBLISHED, staff.reporter, "我明天中午下线的稿", expire_at=now + timedelta(hours=20))
    make(Status.PUBLISHED, staff.other_reporter, "别人要下线的稿", expire_at=now + timedelta(hours=20))
    make(Status.FIRST_REVIEW, staff.other_reporter, "待初审的稿")

    html = index(client_for(staff.reporter))

    assert queue_html(html, "review") is None  # a reporter reviews nothing
    returned = queue_html(html, "returned")
    assert "我被退回的稿" in returned and "导语太长，请压缩到两句。" in returned and "陈编辑" in returned
    assert "别人被退回的稿" not in html and "别人的退回意见" not in html
    assert f'href="/admin/articles/article/{mine_returned.pk}/change/"' in returned
    drafts = queue_html(html, "drafts")
    assert "我的草稿甲" in drafts and count_in(drafts) == 1
    assert "别人的草稿" not in html
    scheduled = queue_html(html, "scheduled")
    assert "我的定时稿" in scheduled and count_in(scheduled) == 1
    assert "别人的定时稿" not in html and "我已发布的稿" not in html
    expiring = queue_html(html, "expiring")
    assert "我明天中午下线的稿" in expiring and "别人要下线的稿" not in html
    assert "待初审的稿" not in html


def test_each_stage_sees_its_own_stage_and_never_its_own_article(staff, client_for):
    make(Status.FIRST_REVIEW, staff.reporter, "待初审的稿")
    make(Status.FIRST_REVIEW, staff.editor, "编辑自己写的待初审稿")
    make(Status.SECOND_REVIEW, staff.reporter, "待复审的稿")
    make(Status.FINAL_REVIEW, staff.reporter, "待终审的稿")
    make(Status.DRAFT, staff.reporter, "记者的草稿")

    expected = {
        staff.editor: {"待初审的稿"},
        staff.desk_head: {"待复审的稿"},
        staff.chief: {"待终审的稿"},
        staff.superuser: {"待初审的稿", "编辑自己写的待初审稿", "待复审的稿", "待终审的稿"},
    }
    titles = {"待初审的稿", "编辑自己写的待初审稿", "待复审的稿", "待终审的稿", "记者的草稿"}
    for user, shown in expected.items():
        review = queue_html(index(client_for(user)), "review")
        assert {t for t in titles if f">{t}<" in review} == shown, user.username
        assert count_in(review) == len(shown)


def test_an_article_bylined_to_me_is_not_mine_to_review(staff, client_for):
    article = make(Status.FIRST_REVIEW, staff.reporter, "与编辑合写的稿")
    BylineFactory(article=article, contributor=ContributorFactory(name="编辑本人", user=staff.editor))
    make(Status.FIRST_REVIEW, staff.reporter, "记者独写的稿")
    review = queue_html(index(client_for(staff.editor)), "review")
    assert ">记者独写的稿<" in review and ">与编辑合写的稿<" not in review
    assert count_in(review) == 1


def test_no_one_sees_a_stage_they_may_not_sign_after_signing_another(staff, client_for):
    """A colleague in two groups passed 初审: 复审 of that article is not theirs to sign."""
    both = UserFactory(username="both", first_name="双岗", roles=["编辑", "部门主任"])
    signed = make(Status.FIRST_REVIEW, staff.reporter, "双岗初审过的稿")
    services.article_transition(article=signed, by=both, action=Action.PASS_FIRST)
    other = make(Status.FIRST_REVIEW, staff.reporter, "别人初审过的稿")
    services.article_transition(article=other, by=staff.editor, action=Action.PASS_FIRST)

    review = queue_html(index(client_for(both)), "review")
    assert "别人初审过的稿" in review and "双岗初审过的稿" not in review

    # Returned and resubmitted: a new round, and someone else signs 初审 this time.
    services.article_return(article=signed, by=staff.desk_head, comment="数据要核实")
    services.article_submit(article=signed, by=staff.reporter)
    services.article_transition(article=signed, by=staff.editor, action=Action.PASS_FIRST)
    assert "双岗初审过的稿" in queue_html(index(client_for(both)), "review")


def test_chief_and_editors_see_everything_expiring_within_a_day(staff, client_for):
    now = timezone.now()
    make(Status.PUBLISHED, staff.reporter, "三小时后下线", expire_at=now + timedelta(hours=3))
    make(Status.PUBLISHED, staff.other_reporter, "二十三小时后下线", expire_at=now + timedelta(hours=23))
    make(Status.PUBLISHED, staff.reporter, "后天下线", expire_at=now + timedelta(hours=49))
    make(
        Status.PUBLISHED,
        staff.reporter,
        "已经下线",
        publish_at=now - timedelta(days=2),
        expire_at=now - timedelta(hours=1),
    )
    make(Status.WITHDRAWN, staff.reporter, "撤了的稿", expire_at=now + timedelta(hours=3))
    for user in (staff.chief, staff.editor):
        expiring = queue_html(index(client_for(user)), "expiring")
        assert "三小时后下线" in expiring and "二十三小时后下线" in expiring
        assert "后天下线" not in expiring and "已经下线" not in expiring and "撤了的稿" not in expiring
        # soonest first
        assert expiring.index("三小时后下线") < expiring.index("二十三小时后下线")
    assert queue_html(index(client_for(staff.desk_head)), "expiring") is None


def test_the_review_list_agrees_with_the_sign_off_rules(staff, settings):
    """The dashboard's SQL (三审分离) and review_rules.separation_refusal say the same, case by case."""
    both = UserFactory(username="both", first_name="双岗", roles=["编辑", "部门主任", "总编辑"])
    articles = [make(Status.FIRST_REVIEW, author, f"稿{i}") for i, author in enumerate([staff.reporter] * 4 + [both])]
    services.article_transition(article=articles[0], by=both, action=Action.PASS_FIRST)
    services.article_transition(article=articles[1], by=staff.editor, action=Action.PASS_FIRST)
    services.article_transition(article=articles[1], by=both, action=Action.PASS_SECOND)
    services.article_transition(article=articles[2], by=both, action=Action.PASS_FIRST)
    services.article_return(article=articles[2], by=staff.desk_head, comment="重写")
    services.article_submit(article=articles[2], by=staff.reporter)
    services.article_transition(article=articles[3], by=staff.editor, action=Action.PASS_FIRST)
    for separation in (True, False):
        settings.NEWSROOM_REVIEW_SEPARATION = separation
        for user in (both, staff.editor, staff.desk_head, staff.chief, staff.superuser):
            user = User.objects.get(pk=user.pk)
            expected = {
                a.pk
                for a in Article.objects.all()
                if a.status in review_rules.REVIEW_PERMISSIONS
                and user.has_perm(review_rules.REVIEW_PERMISSIONS[a.status])
                and review_rules.separation_refusal(user, a, Status(a.status)) is None
            }
            shown = set(Article.objects.filter(dashboard.queue_filter("review", user)).values_list("pk", flat=True))
            assert shown == expected, (separation, user.username)
            if separation and user == both:  # signed another stage, or wrote it: not theirs; a fresh round is
                assert shown == {articles[2].pk, articles[3].pk}


# --- bounded lists, "查看全部", a fixed number of queries -----------------------------------


def test_lists_are_bounded_and_view_all_opens_the_same_articles(staff, client_for):
    for i in range(dashboard.LIMIT + 2):
        make(Status.DRAFT, staff.reporter, f"草稿{i:02d}")
    make(Status.DRAFT, staff.other_reporter, "别人的草稿")
    client = client_for(staff.reporter)
    drafts = queue_html(index(client), "drafts")
    assert count_in(drafts) == dashboard.LIMIT + 2
    assert drafts.count("<li>") == dashboard.LIMIT
    assert f'href="/admin/articles/article/?queue=drafts">查看全部（{dashboard.LIMIT + 2} 篇）' in drafts
    response = client.get("/admin/articles/article/?queue=drafts")
    assert response.context_data["cl"].result_count == dashboard.LIMIT + 2
    assert "别人的草稿" not in response.content.decode()


def test_view_all_of_awaiting_review_leaves_out_my_own_articles(staff, client_for):
    make(Status.FIRST_REVIEW, staff.reporter, "记者送审的稿")
    make(Status.FIRST_REVIEW, staff.editor, "编辑自己送审的稿")
    html = client_for(staff.editor).get("/admin/articles/article/?queue=review").content.decode()
    assert "记者送审的稿" in html and "编辑自己送审的稿" not in html
    # Not a reporter's queue: an empty list, not everything.
    response = client_for(staff.reporter).get("/admin/articles/article/?queue=review")
    assert response.context_data["cl"].result_count == 0


def fill(staff, n):
    """``n`` articles in every list of the superuser's and the reporter's dashboards."""
    now = timezone.now()
    for i in range(n):
        for author in (staff.reporter, staff.superuser):
            make(Status.DRAFT, author, f"草稿{i}")
            make(Status.PUBLISHED, author, f"定时{i}", publish_at=now + timedelta(days=1))
            make(Status.PUBLISHED, author, f"下线{i}", expire_at=now + timedelta(hours=5))
            returned = make(Status.FIRST_REVIEW, author, f"退回{i}")
            services.article_return(article=returned, by=staff.editor, comment=f"意见{i}")
            services.article_return(
                article=services.article_submit(article=returned, by=author), by=staff.editor, comment=f"再退{i}"
            )
        make(Status.FIRST_REVIEW, staff.reporter, f"待审{i}")


@pytest.mark.parametrize("who", ["superuser", "reporter"])
def test_the_dashboard_costs_a_fixed_number_of_queries(staff, django_assert_max_num_queries, who):
    def queries(n):
        fill(staff, n)
        user = User.objects.get(pk=getattr(staff, who).pk)
        # permissions (2), the counts (1), five lists (5), the 退回 records (1)
        with django_assert_max_num_queries(9), CaptureQueriesContext(connection) as captured:
            queues = dashboard.todo(user)
        assert all(q.entries for q in queues)
        return len(captured), queues

    few, _ = queries(1)
    many, queues = queries(dashboard.LIMIT)  # now LIMIT + 1 in each list
    assert few == many
    assert all(q.count > dashboard.LIMIT and len(q.entries) == dashboard.LIMIT for q in queues)


def test_the_admin_index_costs_the_same_however_many_articles(staff, client_for):
    client = client_for(staff.superuser)

    def queries(n):
        fill(staff, n)
        with CaptureQueriesContext(connection) as captured:
            index(client)
        return len(captured)

    assert queries(1) == queries(dashboard.LIMIT)


def test_the_returned_list_shows_the_latest_reason_with_who_and_when(staff, client_for):
    article = make(Status.FIRST_REVIEW, staff.reporter, "退回两次的稿")
    services.article_return(article=article, by=staff.editor, comment="第一次的意见")
    services.article_submit(article=article, by=staff.reporter)
    services.article_transition(article=article, by=staff.editor, action=Action.PASS_FIRST)
    with time_machine.travel(datetime(timezone.now().year + 1, 1, 5, 14, 5, tzinfo=BEIJING)):
        services.article_return(article=article, by=staff.desk_head, comment="第二次：数据要核实")
        returned = queue_html(index(client_for(staff.reporter)), "returned")
    assert "退回意见（黄主任，1月5日 14:05）：第二次：数据要核实" in returned
    assert "第一次的意见" not in returned


def test_a_colleague_without_article_rights_gets_no_dashboard(client_for, db):
    nobody = UserFactory(username="nobody")
    html = index(client_for(nobody))
    assert 'id="todo"' not in html


def test_the_dashboard_keeps_djangos_app_list(staff, client_for):
    html = index(client_for(staff.editor))
    assert 'id="todo"' in html and 'id="content-main"' in html and "app-articles" in html
    assert html.index('id="todo"') < html.index('id="content-main"')


def test_short_time_adds_the_year_only_for_other_years():
    this_year = timezone.now().year
    assert dashboard.short_time(datetime(this_year, 11, 28, 6, 5, tzinfo=UTC)) == "11月28日 14:05"
    assert dashboard.short_time(datetime(2020, 3, 1, 0, 0, tzinfo=BEIJING)) == "2020年3月1日 00:00"


# --- the 退回 notice at the top of the article page -----------------------------------------


def test_the_author_sees_the_latest_reason_at_the_top_of_the_article(staff, client_for):
    article = make(Status.FIRST_REVIEW, staff.reporter, "被退回的稿")
    services.article_return(article=article, by=staff.editor, comment="旧意见")
    services.article_submit(article=article, by=staff.reporter)
    with time_machine.travel(datetime(timezone.now().year + 1, 11, 28, 14, 5, tzinfo=BEIJING)):
        services.article_return(article=article, by=staff.editor, comment="导语太长，\n请压缩到两句。")
        html = change_page(client_for(staff.reporter), article)
    assert "退回意见（陈编辑，11月28日 14:05）：</strong>导语太长，<br>请压缩到两句。" in html
    assert "旧意见" not in html.split('id="article_form"')[0]
    # at the top: above the 三审 panel and the form
    assert html.index('class="return-notice"') < html.index('id="workflow"') < html.index('id="article_form"')
    assert "重新送审" in html  # the reporter may resubmit


def test_anyone_sees_the_reason_while_the_article_is_returned(staff, client_for):
    article = make(Status.SECOND_REVIEW, staff.reporter, "被退回的稿")
    services.article_return(article=article, by=staff.desk_head, comment="数据要核实")
    for user in (staff.other_reporter, staff.editor, staff.chief):
        assert "退回意见（黄主任，" in change_page(client_for(user), article)


def test_after_resubmitting_only_the_author_is_reminded(staff, client_for):
    article = make(Status.FIRST_REVIEW, staff.reporter, "重新送审的稿")
    services.article_return(article=article, by=staff.editor, comment="标题再斟酌")
    services.article_submit(article=article, by=staff.reporter)
    html = change_page(client_for(staff.reporter), article)
    assert "上次退回意见（陈编辑，" in html and "标题再斟酌" in html
    assert 'class="return-notice"' not in change_page(client_for(staff.editor), article)


def test_no_notice_once_published_or_never_returned(staff, client_for):
    never = make(Status.DRAFT, staff.reporter, "从未退回的稿")
    assert 'class="return-notice"' not in change_page(client_for(staff.reporter), never)
    article = make(Status.FINAL_REVIEW, staff.reporter, "退回后发布的稿")
    services.article_return(article=article, by=staff.chief, comment="标题再斟酌")
    services.article_submit(article=article, by=staff.reporter)
    services.article_transition(article=article, by=staff.editor, action=Action.PASS_FIRST)
    services.article_transition(article=article, by=staff.desk_head, action=Action.PASS_SECOND)
    services.article_publish(article=article, by=staff.chief)
    assert 'class="return-notice"' not in change_page(client_for(staff.reporter), article)
    assert dashboard.return_notice(staff.reporter, Article.objects.get(pk=article.pk)) is None


def test_the_notice_escapes_what_the_reviewer_typed(staff, client_for):
    article = make(Status.FIRST_REVIEW, staff.reporter, "被退回的稿")
    services.article_return(article=article, by=staff.editor, comment="<script>alert(1)</script>")
    html = change_page(client_for(staff.reporter), article)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
