"""Nothing an editor can lose: restore asks first and shows what changes, a
refused save shows what the other person changed and reloads with the
editor's own text kept beside it, and a pop-up add is saved like any other."""

import json
import re
from html import unescape

import pytest
import reversion
from reversion.models import Version

from articles.models import Article, Contributor, Transition
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, CreditFactory
from tests.forms import article_form
from tests.helpers.admin_pages import change_url
from tests.xss import VECTORS, live_markup

pytestmark = pytest.mark.django_db


def restore_url(article, version):
    return f"/admin/articles/article/{article.pk}/revisions/{version.pk}/restore/"


def save(client, article, **fields):
    """Save the article's change form as loaded now, with ``fields`` changed; the article refreshed."""
    article.refresh_from_db()
    response = client.post(change_url(article), article_form(article, **fields))
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    return article


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name} in the page"
    return unescape(match.group(1))


def input_value(html: str, field_id: str) -> str:
    match = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', html)
    assert match, f"no #{field_id} in the page"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return unescape(value.group(1)) if value else ""


def section(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</section>", start)]


# --- restore: confirm first, against the current text ---------------------------------


@pytest.fixture
def restorable(two_editors):
    """An article saved twice by 陈编辑: the oldest revision differs in title and body."""
    chen, _ = two_editors
    article = ArticleFactory(draft=True, title="江门推进“百千万工程”", body="<p>江门迅速行动。</p>")
    save(chen, article)
    save(chen, article, title="江门加力推进“百千万工程”", body="<p>江门迅速行动，开好了局。</p>")
    oldest = Version.objects.get_for_object(article).last()
    return article, oldest


def test_the_restore_button_opens_a_confirmation_page_with_the_diff_against_the_current_text(two_editors, restorable):
    chen, _ = two_editors
    article, oldest = restorable
    history = chen.get(f"/admin/articles/article/{article.pk}/revisions/").content.decode()
    assert f'href="{restore_url(article, oldest)}"' in history  # a link to the page, not a one-click form

    before = (article.version, Version.objects.count(), Transition.objects.count())
    response = chen.get(restore_url(article, oldest))
    html = response.content.decode()
    assert response.status_code == 200
    assert "江门<del>加力</del>推进“百千万工程”" in html  # what restoring takes away from the current title
    assert "江门迅速行动<del>，开好了局</del>。" in html
    assert "确认恢复这个版本" in html
    assert hidden_value(html, "loaded_version") == str(article.version)
    assert "读者会立即看到" not in html  # a draft
    article.refresh_from_db()
    assert (article.version, Version.objects.count(), Transition.objects.count()) == before
    assert article.title == "江门加力推进“百千万工程”"


def test_confirming_restores_the_version(two_editors, restorable):
    chen, _ = two_editors
    article, oldest = restorable
    response = chen.post(restore_url(article, oldest), {"loaded_version": article.version})
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.body) == ("江门推进“百千万工程”", "<p>江门迅速行动。</p>")
    assert Version.objects.get_for_object(article).first().revision.get_comment().startswith("恢复到")


def test_a_restore_from_a_stale_page_is_refused(two_editors, restorable):
    chen, lin = two_editors
    article, oldest = restorable
    seen = article.version  # 林编辑 opens the confirmation page …
    save(chen, article, body="<p>陈编辑刚刚又改了。</p>")  # … 陈编辑 saves meanwhile
    response = lin.post(restore_url(article, oldest), {"loaded_version": seen}, follow=True)
    html = response.content.decode()
    assert "恢复被拒绝：陈编辑 在" in html
    assert response.redirect_chain[-1][0] == restore_url(article, oldest)  # back to the diff, now against 陈's text
    assert "陈编辑刚刚又改了" in html
    article.refresh_from_db()
    assert article.body == "<p>陈编辑刚刚又改了。</p>"


def test_a_restore_without_the_version_seen_goes_to_the_confirmation_page(two_editors, restorable):
    chen, _ = two_editors
    article, oldest = restorable
    response = chen.post(restore_url(article, oldest))
    assert response.status_code == 302 and response.url == restore_url(article, oldest)
    article.refresh_from_db()
    assert article.title == "江门加力推进“百千万工程”"


def test_restoring_a_published_article_warns_and_is_on_record(two_editors, restorable):
    chen, _ = two_editors
    article, oldest = restorable
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED, publish_at=article.created_at)
    article.refresh_from_db()
    html = chen.get(restore_url(article, oldest)).content.decode()
    assert "这篇文章已发布，恢复后读者会立即看到恢复的版本" in html

    chen.post(restore_url(article, oldest), {"loaded_version": article.version})
    article.refresh_from_db()
    assert article.title == "江门推进“百千万工程”" and article.is_live
    record = Transition.objects.get(article=article, action=Transition.Action.EDIT_PUBLISHED)
    assert record.comment.startswith("恢复到") and record.actor.username == "chen"


def test_restore_needs_the_right_to_edit_even_to_look(staff, client_for, restorable):
    article, oldest = restorable
    assert client_for(staff.reporter).get(restore_url(article, oldest)).status_code == 403


def test_a_version_of_another_article_cannot_be_restored(two_editors, restorable):
    chen, _ = two_editors
    article, _oldest = restorable
    other = ArticleFactory(draft=True)
    save(chen, other)
    foreign = Version.objects.get_for_object(other).get()
    assert chen.get(restore_url(article, foreign)).status_code == 404
    assert chen.post(restore_url(article, foreign), {"loaded_version": article.version}).status_code == 404


def test_restore_brings_back_the_bylines_and_credits_of_that_version(two_editors):
    chen, _ = two_editors
    article = ArticleFactory(draft=True, body="<p>一。</p>")
    reporter = BylineFactory(article=article, contributor=ContributorFactory(name="李明"), role="记者").contributor
    CreditFactory(article=article, contributor=ContributorFactory(name="黄编辑"))
    save(chen, article)  # the revision records 记者 李明 and 责任编辑 黄编辑
    oldest = Version.objects.get_for_object(article).get()
    form = article_form(
        article,
        body="<p>二。</p>",
        **{
            "bylines-TOTAL_FORMS": 1,
            "bylines-INITIAL_FORMS": 1,
            "bylines-0-id": article.bylines.get().pk,
            "bylines-0-article": article.pk,
            "bylines-0-position": 0,
            "bylines-0-role": "通讯员",
            "bylines-0-contributor": reporter.pk,
            "credits-TOTAL_FORMS": 1,
            "credits-INITIAL_FORMS": 1,
            "credits-0-id": article.credits.get().pk,
            "credits-0-article": article.pk,
            "credits-0-position": 0,
            "credits-0-role": "责任编辑",
            "credits-0-contributor": article.credits.get().contributor_id,
            "credits-0-DELETE": "on",
        },
    )
    assert chen.post(change_url(article), form).status_code == 302
    article.refresh_from_db()
    assert [str(b) for b in article.bylines.all()] == ["通讯员 李明"] and not article.credits.exists()

    html = chen.get(restore_url(article, oldest)).content.decode()
    people = re.findall(r'class="diff diff-people">(.*?)</div>', html)
    assert people == ["<del>通讯员</del><ins>记者</ins> 李明", "<ins>责任编辑：黄编辑</ins>"]
    chen.post(restore_url(article, oldest), {"loaded_version": article.version})
    article.refresh_from_db()
    assert article.body == "<p>一。</p>"
    assert [str(b) for b in article.bylines.all()] == ["记者 李明"]
    assert [str(c) for c in article.credits.all()] == ["责任编辑：黄编辑"]
    restored = Version.objects.get_for_object(article).first().revision.version_set.all()
    assert {v.content_type.model for v in restored} == {"article", "byline", "credit"}  # on record too


def test_a_version_that_recorded_no_bylines_leaves_them_as_they_are(two_editors):
    chen, _ = two_editors
    article = ArticleFactory(draft=True, body="<p>一。</p>")
    save(chen, article)  # no bylines yet: the revision records none
    oldest = Version.objects.get_for_object(article).get()
    BylineFactory(article=article, contributor=ContributorFactory(name="李明"), role="记者")
    save(chen, article, body="<p>二。</p>")
    html = chen.get(restore_url(article, oldest)).content.decode()
    assert "这个版本没有记录署名，恢复后保持现在的署名" in html
    chen.post(restore_url(article, oldest), {"loaded_version": article.version})
    article.refresh_from_db()
    assert article.body == "<p>一。</p>"
    assert [str(b) for b in article.bylines.all()] == ["记者 李明"]


def test_a_deleted_contributor_is_named_and_left_out(two_editors):
    chen, _ = two_editors
    article = ArticleFactory(draft=True)
    BylineFactory(article=article, contributor=ContributorFactory(name="李明"), role="记者")
    BylineFactory(article=article, contributor=ContributorFactory(name="王芳"), role="通讯员")
    save(chen, article)
    oldest = Version.objects.get_for_object(article).get()
    article.bylines.filter(contributor__name="王芳").delete()
    Contributor.objects.filter(name="王芳").delete()
    save(chen, article)
    html = chen.get(restore_url(article, oldest)).content.decode()
    assert "这些作者/机构已被删除，不会恢复：通讯员 王芳" in html
    assert chen.post(restore_url(article, oldest), {"loaded_version": article.version}).status_code == 302
    assert [str(b) for b in Article.objects.get().bylines.all()] == ["记者 李明"]


def test_restored_rows_close_the_gap_of_a_deleted_contributor(two_editors):
    """The restore writes bylines through article_set_people: positions 0, 1, … as the page lists them."""
    chen, _ = two_editors
    article = ArticleFactory(draft=True)
    for position, (name, role) in enumerate([("李明", "记者"), ("王芳", "通讯员"), ("张强", "摄")]):
        BylineFactory(article=article, contributor=ContributorFactory(name=name), role=role, position=position)
    save(chen, article)
    oldest = Version.objects.get_for_object(article).get()
    article.bylines.filter(contributor__name="王芳").delete()
    Contributor.objects.filter(name="王芳").delete()
    article.bylines.filter(contributor__name="张强").update(role="记者")
    save(chen, article)
    assert chen.post(restore_url(article, oldest), {"loaded_version": article.version}).status_code == 302
    rows = Article.objects.get().bylines.order_by("position")
    assert [(b.position, str(b)) for b in rows] == [(0, "记者 李明"), (1, "张强 摄")]


def test_restore_writes_bylines_and_credits_through_article_set_people(two_editors, monkeypatch):
    from articles.services import restore

    seen = []
    original = restore.article_set_people

    def spy(**kwargs):
        seen.append({kind: [str(c) for c, _role in kwargs[kind]] for kind in ("bylines", "credits") if kwargs[kind]})
        return original(**kwargs)

    monkeypatch.setattr(restore, "article_set_people", spy)
    chen, _ = two_editors
    article = ArticleFactory(draft=True)
    BylineFactory(article=article, contributor=ContributorFactory(name="李明"), role="记者")
    save(chen, article)
    oldest = Version.objects.get_for_object(article).get()
    article.bylines.all().delete()
    save(chen, article)
    assert chen.post(restore_url(article, oldest), {"loaded_version": article.version}).status_code == 302
    assert seen == [{"bylines": ["李明"]}]
    assert [str(b) for b in Article.objects.get().bylines.all()] == ["记者 李明"]


# --- the refused second save: what the other person changed, and reloading ------------


@pytest.fixture
def conflict(two_editors):
    """Both editors loaded version 2 (saved by 陈, so in the revisions); 陈 saved again
    (version 3); 林's save of the text they loaded is refused."""
    chen, lin = two_editors
    article = ArticleFactory(draft=True, title="开平碉楼申遗", body="<p>开平碉楼有一千八百多座。</p>")
    save(chen, article)
    loaded = article_form(article)  # version 2, for both
    save(chen, article, title="开平碉楼申遗成功", body="<p>开平碉楼现存一千八百多座。</p>")
    mine = {**loaded, "subtitle": "林编辑写的副题", "body": "<p>林编辑辛苦写的一大段。</p>"}
    refused = lin.post(change_url(article), mine)
    return article, mine, refused


def test_the_refused_save_shows_what_the_other_person_changed(conflict):
    article, _mine, refused = conflict
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "保存被拒绝：陈编辑 在" in html
    panel = section(html, "conflict")
    assert "他人改了什么" in panel and "陈编辑" in panel and "第 3 版" in panel
    assert "开平碉楼申遗<ins>成功</ins>" in panel  # 陈's change against the text 林 loaded …
    assert "开平碉楼<del>有</del><ins>现存</ins>一千八百多座。" in panel
    assert "林编辑" not in panel.split("陈编辑", 1)[1]  # … not 林's own text
    assert "林编辑辛苦写的一大段。" in html  # which is still in the form
    assert 'id="conflict-reload"' in html and f"/admin/articles/article/{article.pk}/reload/" in html
    article.refresh_from_db()
    assert article.version == 3 and article.body == "<p>开平碉楼现存一千八百多座。</p>"


def test_without_the_loaded_version_in_history_the_diff_is_against_the_editors_own_text(two_editors):
    chen, lin = two_editors
    article = ArticleFactory(draft=True, title="原标题", body="<p>原稿。</p>")  # version 1: no revision holds it
    loaded = article_form(article)
    save(chen, article, title="陈改的标题")
    html = lin.post(change_url(article), {**loaded, "title": "林改的标题"}).content.decode()
    panel = section(html, "conflict")
    assert "找不到你打开时的版本" in panel
    assert "<del>林</del><ins>陈</ins>改的标题" in panel


def test_reloading_loads_the_current_text_and_keeps_the_editors_own_beside_it(conflict, two_editors):
    _, lin = two_editors
    article, mine, _refused = conflict
    response = lin.post(f"/admin/articles/article/{article.pk}/reload/", {**mine, "_reload": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "已载入最新内容（第 3 版）" in html
    assert input_value(html, "id_title") == "开平碉楼申遗成功"  # the form now holds 陈's text …
    assert "开平碉楼现存一千八百多座。" in html
    assert hidden_value(html, "loaded_version") == "3"  # … and version
    own = section(html, "own-drafts")  # 林's text, read-only, with copy buttons
    assert "林编辑辛苦写的一大段。" in own and "林编辑写的副题" in own and "复制" in own
    kept = json.loads(hidden_value(html, "own_drafts"))
    assert kept == [
        {
            "kicker": "",
            "title": "开平碉楼申遗",
            "subtitle": "林编辑写的副题",
            "summary": "",
            "body": "<p>林编辑辛苦写的一大段。</p>",
        }
    ]
    article.refresh_from_db()
    assert article.version == 3  # reloading writes nothing

    # 林 merges and saves: it goes through.
    merged = article_form(
        article,
        subtitle="林编辑写的副题",
        body="<p>开平碉楼现存一千八百多座。</p><p>林编辑辛苦写的一大段。</p>",
        own_drafts=hidden_value(html, "own_drafts"),
    )
    assert merged["loaded_version"] == 3
    assert lin.post(change_url(article), merged).status_code == 302
    article.refresh_from_db()
    assert article.version == 4 and article.subtitle == "林编辑写的副题"
    assert "林编辑辛苦写的一大段。" in article.body and article.updated_by.username == "lin"
    assert "own-drafts" not in lin.get(change_url(article)).content.decode()  # gone once saved


def test_the_own_text_stays_on_the_page_until_a_save_goes_through(conflict, two_editors):
    _, lin = two_editors
    article, mine, _refused = conflict
    reloaded = lin.post(f"/admin/articles/article/{article.pk}/reload/", mine).content.decode()
    kept = hidden_value(reloaded, "own_drafts")
    article.refresh_from_db()
    invalid = lin.post(change_url(article), article_form(article, title="", own_drafts=kept))  # title required
    assert invalid.status_code == 200
    assert "林编辑辛苦写的一大段。" in section(invalid.content.decode(), "own-drafts")
    article.refresh_from_db()
    assert article.version == 3


def test_a_second_conflict_after_reloading_keeps_both_texts(conflict, two_editors):
    chen, lin = two_editors
    article, mine, _refused = conflict
    reloaded = lin.post(f"/admin/articles/article/{article.pk}/reload/", mine).content.decode()
    article.refresh_from_db()
    second_try = article_form(
        article, body="<p>林编辑合并到一半。</p>", own_drafts=hidden_value(reloaded, "own_drafts")
    )
    save(chen, article, body="<p>陈编辑又改了一次。</p>")
    refused = lin.post(change_url(article), second_try).content.decode()
    assert "陈编辑又改了" in "".join(re.findall(r"<ins>(.*?)</ins>", section(refused, "conflict")))
    assert "林编辑辛苦写的一大段。" in section(refused, "own-drafts")  # the first text is still beside
    again = lin.post(f"/admin/articles/article/{article.pk}/reload/", second_try).content.decode()
    own = section(again, "own-drafts")
    assert "林编辑辛苦写的一大段。" in own and "林编辑合并到一半。" in own


def test_reloading_needs_a_post_and_an_article_one_may_see(two_editors, staff, client_for):
    chen, _ = two_editors
    article = ArticleFactory(draft=True)
    assert chen.get(f"/admin/articles/article/{article.pk}/reload/").status_code == 405
    assert chen.post("/admin/articles/article/999999/reload/", article_form(article)).status_code == 404


# --- pop-up adds are saved like any other ----------------------------------------------


def test_an_article_added_in_a_popup_is_saved(two_editors):
    chen, _ = two_editors
    data = article_form(title="从弹出窗口新建的文章", body="<p>正文。</p>", _popup="1")
    response = chen.post("/admin/articles/article/add/?_popup=1", data)
    assert response.status_code == 200  # the pop-up's closing page, not a redirect
    article = Article.objects.get(title="从弹出窗口新建的文章")
    assert article.created_by.username == "chen"
    assert Version.objects.get_for_object(article).count() == 1


def test_an_invalid_popup_add_still_writes_nothing(two_editors):
    chen, _ = two_editors
    response = chen.post("/admin/articles/article/add/?_popup=1", article_form(title="", _popup="1"))
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    assert not Article.objects.exists() and not Version.objects.exists()


def test_a_contributor_added_in_a_popup_is_saved(admin_client):
    response = admin_client.post(
        "/admin/articles/contributor/add/?_popup=1", {"name": "赵可义", "kind": "person", "_popup": "1"}
    )
    assert response.status_code == 200
    assert Contributor.objects.filter(name="赵可义").exists()


# --- hostile text is shown, never run -------------------------------------------------


def test_hostile_text_on_these_pages_is_shown_never_run(two_editors):
    hostile = "\n".join(VECTORS)
    admin_tags = {"script", "form", "style", "svg"}  # the admin's own, checked for the marker only
    chen, lin = two_editors
    article = ArticleFactory(draft=True, title="开平碉楼")
    with reversion.create_revision():  # a revision kept from before cleaning existed
        article.body = hostile
        article.save()
    dirty = Version.objects.get_for_object(article).first()
    page = chen.get(restore_url(article, dirty)).content.decode()
    assert live_markup(page, admin_tags) == []

    loaded = article_form(Article.objects.get())
    save(chen, article, body="<p>陈编辑的修改。</p>")
    refused = lin.post(change_url(article), {**loaded, "title": hostile, "body": hostile}).content.decode()
    assert "他人改了什么" in refused and live_markup(refused, admin_tags) == []
    reloaded = lin.post(f"/admin/articles/article/{article.pk}/reload/", {**loaded, "title": hostile, "body": hostile})
    html = reloaded.content.decode()
    assert "我的文字" in html and live_markup(html, admin_tags) == []
