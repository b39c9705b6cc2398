"""Rules of the services (editing, people, previews, restore, the named 三审 steps) that the mutation check
(docs/testing.md, "Mutation check") found no test pinning down."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import Article, ArticleOpen, Contributor, PreviewLink, Transition
from tests.factories import ArticleFactory, ContributorFactory, PreviewLinkFactory, SeriesFactory, UserFactory

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


def editor(username: str, surname: str):
    """An editor (编辑) whose name reads as 陈编辑, 林编辑 …"""
    return UserFactory(username=username, first_name=f"{surname}编辑", roles=["编辑"])


@pytest.fixture
def chen():
    return editor("chen", "陈")


@pytest.fixture
def lin():
    return editor("lin", "林")


def refusal(article: Article, by) -> str:
    """The message of a save of ``article`` as loaded before someone else saved."""
    with pytest.raises(services.StaleEdit) as refused:
        services.article_save(article=article, by=by)
    return refused.value.messages[0]


def test_a_refused_save_names_who_saved_meanwhile_and_when_to_the_second(chen, lin):
    article = ArticleFactory(draft=True)
    stale = Article.objects.get(pk=article.pk)
    with time_machine.travel(datetime(2026, 3, 5, 14, 7, 9, tzinfo=BEIJING), tick=False):
        services.article_save(article=article, by=lin)
    assert refusal(stale, chen) == (
        "保存被拒绝：林编辑 在 2026年3月5日 14:07:09 修改了这篇文章（你打开之后）。"
        "你的修改还在下面的表单里，没有丢失；下面列出了对方改了什么，"
        "点“载入最新内容”在最新稿上合并（你的文字会留在旁边），再保存。"
    )


def test_a_refused_save_after_an_import_names_the_system(chen):
    article = ArticleFactory(draft=True)
    stale = Article.objects.get(pk=article.pk)
    services.article_save(article=article, by=None)  # the seed loader
    assert refusal(stale, chen).startswith("保存被拒绝：系统（导入） 在 ")


# --- presence ---------------------------------------------------------------------


def presence_url(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/presence/"


def test_the_heartbeat_answer_says_who_is_editing_as_presence_js_reads_it(client_for, chen, lin):
    article = ArticleFactory(draft=True)
    page = services.new_page()
    services.record_open(article=article, user=chen, page=page)
    services.presence_report(article=article, user=chen, page=page, state="editing")
    answer = client_for(lin).post(
        presence_url(article), {"page": services.new_page(), "state": "reading"}, content_type="application/json"
    )
    assert answer.json()["present"] == [{"name": "陈编辑", "editing": True, "label": "正在编辑"}]


def test_an_unknown_presence_state_is_quoted_up_to_40_characters(client_for, chen):
    article = ArticleFactory(draft=True)
    state = "x" * 40 + "尾巴"
    answer = client_for(chen).post(
        presence_url(article), {"page": services.new_page(), "state": state}, content_type="application/json"
    )
    assert answer.status_code == 400
    assert answer.json()["error"].startswith(f"未知的在场状态“{'x' * 40}”：")


def test_a_report_touches_only_the_reporters_own_page_of_that_article(chen, lin):
    article, other = ArticleFactory(draft=True), ArticleFactory(draft=True)
    page = services.new_page()
    services.record_open(article=article, user=chen, page=page)
    # Someone else sending chen's page, or chen sending it for another article, does not close it.
    services.presence_report(article=article, user=lin, page=page, state="left")
    services.presence_report(article=other, user=chen, page=page, state="left")
    assert [present.name for present in services.present_colleagues(article=article, user=lin)] == ["陈编辑"]


def test_a_page_shown_again_after_it_left_is_present_again(chen, lin):
    """The browser's back button can show a page that said "left": its next report brings it back."""
    article = ArticleFactory(draft=True)
    page = services.new_page()
    services.record_open(article=article, user=chen, page=page)
    services.presence_report(article=article, user=chen, page=page, state="left")
    assert services.present_colleagues(article=article, user=lin) == []
    services.presence_report(article=article, user=chen, page=page, state="editing")
    [back] = services.present_colleagues(article=article, user=lin)
    assert (back.name, back.is_editing) == ("陈编辑", True)
    assert ArticleOpen.objects.get(page=page).article == article


def test_a_colleague_editing_in_an_earlier_tab_is_editing_though_a_later_tab_only_reads(chen, lin):
    article = ArticleFactory(draft=True)
    first, second = services.new_page(), services.new_page()
    services.record_open(article=article, user=chen, page=first)
    services.presence_report(article=article, user=chen, page=first, state="editing")
    services.record_open(article=article, user=chen, page=second)  # a second tab, reading
    [present] = services.present_colleagues(article=article, user=lin)
    assert (present.name, present.is_editing) == ("陈编辑", True)


def test_a_colleague_keeps_the_place_of_their_first_tab(chen, lin):
    wang = editor("wang", "王")
    article = ArticleFactory(draft=True)
    services.record_open(article=article, user=chen, page=services.new_page())
    services.record_open(article=article, user=wang, page=services.new_page())
    services.record_open(article=article, user=chen, page=services.new_page())  # a later tab
    assert [p.name for p in services.present_colleagues(article=article, user=lin)] == ["陈编辑", "王编辑"]


def test_a_colleague_reading_in_two_tabs_is_reading(chen, lin):
    article = ArticleFactory(draft=True)
    for _ in range(2):
        services.record_open(article=article, user=chen, page=services.new_page())
    [present] = services.present_colleagues(article=article, user=lin)
    assert (present.name, present.is_editing) == ("陈编辑", False)


# --- saving -----------------------------------------------------------------------


def test_a_saved_article_keeps_its_place_in_its_series(staff):
    series = SeriesFactory()
    first = ArticleFactory(draft=True, series=series, series_position=0, created_by=staff.reporter)
    second = ArticleFactory(draft=True, series=series, series_position=1, created_by=staff.reporter)
    for article in (first, second):
        article.title += "（修改）"
        services.article_save(article=article, by=staff.reporter)
    assert list(series.articles.order_by("series_position").values_list("pk", "series_position")) == [
        (first.pk, 0),
        (second.pk, 1),
    ]


def test_an_article_new_to_a_series_goes_last(staff):
    series = SeriesFactory()
    ArticleFactory(series=None, series_position=7)  # not in the series: does not count
    ArticleFactory(draft=True, series=series, series_position=0)
    ArticleFactory(draft=True, series=series, series_position=3)
    created = services.article_save(article=Article(title="新稿", body="<p>正文。</p>", series=series), by=staff.editor)
    moved = ArticleFactory(draft=True, series=None, created_by=staff.reporter)
    moved.series = series
    services.article_save(article=moved, by=staff.reporter)
    assert (Article.objects.get(pk=created.pk).series_position, Article.objects.get(pk=moved.pk).series_position) == (
        4,
        5,
    )


def test_the_first_article_of_a_series_is_at_place_0(staff):
    empty = SeriesFactory()
    ArticleFactory(series=None, series_position=7)  # not in the series: does not count
    created = services.article_save(article=Article(title="新稿", body="<p>正文。</p>", series=empty), by=staff.editor)
    assert Article.objects.get(pk=created.pk).series_position == 0


def test_a_save_stores_the_word_count_of_the_body_it_stores(staff):
    article = ArticleFactory(draft=True, created_by=staff.reporter)
    article.body = "<p>开平碉楼与村落。</p>"
    services.article_save(article=article, by=staff.reporter)
    assert Article.objects.get(pk=article.pk).word_count == 8


def test_a_save_without_a_comment_is_named_new_or_edit_in_the_history(staff):
    created = services.article_save(article=Article(title="新稿", body="<p>正文。</p>"), by=staff.reporter)
    assert Version.objects.get_for_object(created).first().revision.comment == "新建"
    created.title = "新稿（修改）"
    services.article_save(article=created, by=staff.reporter)
    assert Version.objects.get_for_object(created).first().revision.comment == "修改"
    services.article_save(article=created, by=staff.reporter, comment="改标题")
    assert Version.objects.get_for_object(created).first().revision.comment == "改标题"


def test_a_save_the_caller_has_claimed_takes_one_version_not_two(staff):
    """The admin form claims the version while validating, then saves with ``claimed=True``."""
    article = ArticleFactory(draft=True, created_by=staff.reporter)
    seen = article.version
    services.claim_edit(article=article, version=seen)
    services.article_save(article=article, by=staff.reporter, claimed=True)
    assert Article.objects.get(pk=article.pk).version == seen + 1


def test_the_refusal_to_save_names_the_article(staff):
    article = ArticleFactory(draft=True, title="开平碉楼", created_by=staff.reporter)
    article.title = "开平碉楼（改）"
    with pytest.raises(PermissionDenied) as refused:
        services.article_save(article=article, by=staff.other_reporter)
    assert refused.value.args == ("你没有权限修改《开平碉楼（改）》。",)
    assert Article.objects.get(pk=article.pk).title == "开平碉楼"


def test_an_edit_of_a_published_article_is_on_record_with_its_comment_and_editor(staff):
    article = ArticleFactory(title="开平碉楼")
    article.title = "开平碉楼与村落"
    services.article_save(article=article, by=staff.editor, comment="改标题")
    record = Transition.objects.get(article=article)
    assert (record.action, record.actor, record.comment) == (Transition.Action.EDIT_PUBLISHED, staff.editor, "改标题")
    assert (record.from_status, record.to_status) == (Article.Status.PUBLISHED, Article.Status.PUBLISHED)


def test_editing_a_draft_or_creating_a_published_article_puts_nothing_on_record(staff):
    draft = ArticleFactory(draft=True, created_by=staff.reporter)
    services.article_save(article=draft, by=staff.reporter)
    imported = Article(title="导入稿", body="<p>正文。</p>", status=Article.Status.PUBLISHED, publish_at=timezone.now())
    services.article_save(article=imported, by=None)
    assert not Transition.objects.exists()


# --- contributors -----------------------------------------------------------------


def test_an_account_without_the_right_to_add_contributors_adds_none():
    nobody = UserFactory(username="guest")  # staff, in no group
    with pytest.raises(PermissionDenied) as refused:
        services.contributor_save(contributor=Contributor(name="王小明"), by=nobody)
    assert refused.value.args == ("你没有权限新建作者/机构。",)
    assert not Contributor.objects.exists()


def test_the_refusal_to_change_a_contributor_names_them(staff):
    contributor = ContributorFactory(name="王小明")
    contributor.name = "王晓明"
    with pytest.raises(PermissionDenied) as refused:
        services.contributor_save(contributor=contributor, by=staff.reporter)
    assert refused.value.args == ("你没有权限修改作者/机构“王晓明”。",)


def test_the_refusal_of_a_bio_from_a_reporter_says_who_may_write_it(staff):
    with pytest.raises(PermissionDenied) as refused:
        services.contributor_save(contributor=Contributor(name="王小明", bio="简介。"), by=staff.reporter)
    assert refused.value.args == ("只有编辑可以填写作者/机构的简介和本社账号。",)


def test_setting_people_records_its_default_comment_and_refuses_by_name(staff):
    article = ArticleFactory(draft=True, title="开平碉楼", created_by=staff.reporter)
    services.article_set_people(article=article, by=staff.reporter, bylines=[(ContributorFactory(name="李明"), "记者")])
    assert Version.objects.get_for_object(article).first().revision.comment == "修改署名和制作人员"
    with pytest.raises(PermissionDenied) as refused:
        services.article_set_people(article=article, by=staff.other_reporter, bylines=[])
    assert refused.value.args == ("你没有权限修改《开平碉楼》的署名和制作人员。",)


def test_new_bylines_with_unchanged_credits_are_a_change(staff):
    article = ArticleFactory(draft=True, created_by=staff.reporter)
    credits = [(ContributorFactory(name="王芳"), "责任编辑")]
    services.article_set_people(article=article, by=staff.reporter, credits=credits)
    version = Article.objects.get(pk=article.pk).version
    changed = services.article_set_people(
        article=article, by=staff.reporter, bylines=[(ContributorFactory(name="李明"), "记者")], credits=credits
    )
    assert changed
    assert Article.objects.get(pk=article.pk).version == version + 1


# --- series order -----------------------------------------------------------------


def test_reordering_moves_every_article_whose_place_changes_after_one_that_stays(staff):
    series = SeriesFactory(name="百千万")
    stays = ArticleFactory(series=series, series_position=0)
    moves = ArticleFactory(series=series, series_position=1)
    assert stays.pk < moves.pk  # the service walks the articles in id order
    services.series_reorder(series=series, positions={stays.pk: 0, moves.pk: 4}, by=staff.editor)
    assert Article.objects.get(pk=moves.pk).series_position == 4


def test_reordering_refusals_name_the_series_and_every_stranger(staff):
    series = SeriesFactory(name="百千万")
    mine = ArticleFactory(series=series, series_position=0)
    strangers = sorted(ArticleFactory(series=SeriesFactory(name="侨乡")).pk for _ in range(2))
    with pytest.raises(ValidationError) as refused:
        services.series_reorder(series=series, positions={mine.pk: 3, **dict.fromkeys(strangers, 1)}, by=staff.editor)
    assert refused.value.messages == [f"这些文章不在“百千万”里，不能在这里排序：{strangers[0]}、{strangers[1]}。"]
    with pytest.raises(PermissionDenied) as denied:
        services.series_reorder(series=series, positions={mine.pk: 3}, by=staff.reporter)
    assert denied.value.args == ("你没有权限调整“百千万”的文章顺序。",)


# --- preview links ----------------------------------------------------------------


def test_withdrawal_revokes_only_the_articles_open_links_and_keeps_the_record_of_the_others(staff):
    article, other = ArticleFactory(), ArticleFactory()
    now = timezone.now()
    open_link = PreviewLinkFactory(article=article, created_by=staff.reporter)
    earlier = now - timedelta(hours=2)
    revoked = PreviewLinkFactory(
        article=article, created_by=staff.reporter, revoked_at=earlier, revoked_by=staff.editor
    )
    expired = PreviewLinkFactory(
        article=article,
        created_by=staff.reporter,
        created_at=now - timedelta(days=3),
        expires_at=now - timedelta(days=1),
    )
    elsewhere = PreviewLinkFactory(article=other, created_by=staff.reporter)
    services.article_withdraw(article=article, by=staff.chief, reason="暂缓发布")
    state = {link.pk: (link.revoked_at is not None, link.revoked_by) for link in PreviewLink.objects.all()}
    assert state == {
        open_link.pk: (True, staff.chief),
        revoked.pk: (True, staff.editor),
        expired.pk: (False, None),  # listed as expired, not as revoked
        elsewhere.pk: (False, None),
    }
    assert PreviewLink.objects.get(pk=revoked.pk).revoked_at == earlier


def test_revoking_says_who_may_and_that_a_link_is_revoked_once(staff):
    link = PreviewLinkFactory(created_by=staff.reporter)
    with pytest.raises(PermissionDenied) as refused:
        services.preview_link_revoke(link=link, by=staff.other_reporter)
    assert refused.value.args == ("只有生成这个链接的人或编辑可以撤销它。",)
    services.preview_link_revoke(link=link, by=staff.reporter)
    with pytest.raises(ValidationError) as again:
        services.preview_link_revoke(link=link, by=staff.editor)
    assert again.value.messages == ["这个预览链接已经撤销过了。"]
    assert PreviewLink.objects.get(pk=link.pk).revoked_by == staff.reporter


def test_the_refusal_of_a_preview_link_says_who_may_make_one(staff):
    draft = ArticleFactory(draft=True, title="开平碉楼", created_by=staff.reporter)
    with pytest.raises(PermissionDenied) as refused:
        services.preview_link_create(article=draft, by=staff.other_reporter)
    assert refused.value.args == ("你没有权限为《开平碉楼》生成预览链接：只有能修改或正在审这篇稿件的人才可以。",)
    assert not PreviewLink.objects.exists()


def test_no_preview_link_for_a_withdrawn_article_and_the_refusal_says_why(staff):
    withdrawn = ArticleFactory(title="开平碉楼", status=Article.Status.WITHDRAWN)
    with pytest.raises(ValidationError) as refused:
        services.preview_link_create(article=withdrawn, by=staff.editor)
    assert refused.value.messages == ["《开平碉楼》已撤稿，不能生成预览链接。"]
    assert not PreviewLink.objects.exists()


# --- restore ----------------------------------------------------------------------


def saved_at(when: datetime, article: Article, by, **fields) -> Version:
    """Save ``article`` with ``fields`` changed at ``when`` (Beijing time): its newest revision."""
    for name, value in fields.items():
        setattr(article, name, value)
    with time_machine.travel(when, tick=False):
        services.article_save(article=article, by=by)
    return Version.objects.get_for_object(article).first()


def test_a_restore_is_one_new_revision_by_the_restorer_named_after_the_versions_time(staff):
    article = ArticleFactory(draft=True, title="旧标题", created_by=staff.reporter)
    services.article_set_people(article=article, by=staff.reporter, bylines=[(ContributorFactory(name="李明"), "记者")])
    old = saved_at(datetime(2026, 3, 5, 14, 7, 9, tzinfo=BEIJING), article, staff.reporter)
    services.article_set_people(article=article, by=staff.reporter, bylines=[(ContributorFactory(name="王芳"), "记者")])
    saved_at(datetime(2026, 3, 6, 9, 0, tzinfo=BEIJING), article, staff.reporter, title="新标题")
    current = Article.objects.get(pk=article.pk)
    seen, revisions = current.version, Version.objects.get_for_object(article).count()

    services.article_restore(article=current, version=old, by=staff.editor, loaded_version=seen)

    restored = Article.objects.get(pk=article.pk)
    assert (restored.title, [str(b) for b in restored.bylines.all()]) == ("旧标题", ["记者 李明"])
    assert (restored.version, restored.updated_by) == (seen + 1, staff.editor)
    assert Version.objects.get_for_object(article).count() == revisions + 1
    revision = Version.objects.get_for_object(article).first().revision
    assert (revision.comment, revision.user) == ("恢复到 2026年3月5日 14:07 的版本", staff.editor)


def test_a_restore_empties_the_fields_that_version_had_empty(staff):
    article = ArticleFactory(draft=True, kicker="", subtitle="", summary="", created_by=staff.reporter)
    old = saved_at(datetime(2026, 3, 5, 14, 7, tzinfo=BEIJING), article, staff.reporter)
    later = datetime(2026, 3, 6, 9, 0, tzinfo=BEIJING)
    saved_at(later, article, staff.reporter, kicker="引题", subtitle="副题", summary="摘要")
    current = Article.objects.get(pk=article.pk)
    services.article_restore(article=current, version=old, by=staff.editor, loaded_version=current.version)
    restored = Article.objects.get(pk=article.pk)
    assert (restored.kicker, restored.subtitle, restored.summary) == ("", "", "")


def test_the_service_refuses_a_version_of_another_article_by_name(staff):
    article = ArticleFactory(draft=True, title="开平碉楼", created_by=staff.reporter)
    other = ArticleFactory(draft=True, title="侨乡新貌", created_by=staff.reporter)
    foreign = saved_at(datetime(2026, 3, 5, 14, 7, tzinfo=BEIJING), other, staff.reporter)
    version = Article.objects.get(pk=article.pk).version
    with pytest.raises(ValidationError) as refused:
        services.article_restore(article=article, version=foreign, by=staff.editor, loaded_version=version)
    assert refused.value.messages == ["这个历史版本不属于《开平碉楼》。"]
    unchanged = Article.objects.get(pk=article.pk)
    assert (unchanged.title, unchanged.version) == ("开平碉楼", version)


# --- the named 三审 steps ---------------------------------------------------------


def last_record(article: Article) -> tuple:
    record = article.transitions.order_by("-id").first()
    return record.action, record.actor, record.comment, record.publish_at


def test_each_named_step_is_taken_in_the_name_of_who_takes_it(staff):
    """submit, publish, return and withdraw check and record the person who calls them, not the system."""
    draft = ArticleFactory(draft=True, created_by=staff.reporter)
    services.article_submit(article=draft, by=staff.reporter)
    assert last_record(draft) == (Transition.Action.SUBMIT, staff.reporter, "", None)

    signed = ArticleFactory(status=Article.Status.FINAL_REVIEW, publish_at=None, first_published_at=None)
    at = timezone.now() + timedelta(days=1)
    services.article_publish(article=signed, by=staff.chief, at=at)
    assert last_record(signed) == (Transition.Action.PUBLISH, staff.chief, "", at)

    returned = ArticleFactory(status=Article.Status.FIRST_REVIEW, publish_at=None, first_published_at=None)
    services.article_return(article=returned, by=staff.editor, comment="导语太长")
    assert last_record(returned) == (Transition.Action.RETURN, staff.editor, "导语太长", None)

    withdrawn = ArticleFactory()
    services.article_withdraw(article=withdrawn, by=staff.chief, reason="事实有误")
    assert last_record(withdrawn) == (Transition.Action.WITHDRAW, staff.chief, "事实有误", None)


def test_a_reporter_cannot_submit_a_colleagues_article_through_the_named_step(staff):
    draft = ArticleFactory(draft=True, title="开平碉楼", created_by=staff.reporter)
    with pytest.raises(PermissionDenied) as refused:
        services.article_submit(article=draft, by=staff.other_reporter)
    assert refused.value.args == ("只能提交自己的稿件：《开平碉楼》不是你创建的。",)
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT


def test_a_step_put_on_record_without_a_comment_has_none(staff):
    article = ArticleFactory()
    services.record_transition(article=article, action=Transition.Action.CORRECT, by=staff.editor)
    assert Transition.objects.get(article=article).comment == ""
