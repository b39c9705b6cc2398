"""No lost edits, who else is here, and revisions with diff and restore."""

import pytest
from reversion.models import Version

from articles.models import Article
from tests.factories import ArticleFactory
from tests.forms import article_form
from tests.helpers.admin_pages import change_url

pytestmark = pytest.mark.django_db


def test_second_save_is_refused_and_nothing_is_lost(two_editors):
    chen, lin = two_editors
    article = ArticleFactory(draft=True, body="<p>原稿。</p>")
    chen.get(change_url(article))
    lin.get(change_url(article))
    opened_by_both = article_form(article)  # both loaded the same version

    saved = chen.post(change_url(article), {**opened_by_both, "body": "<p>陈编辑的修改。</p>"})
    assert saved.status_code == 302

    refused = lin.post(change_url(article), {**opened_by_both, "body": "<p>林编辑辛苦写的一大段。</p>"})
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "保存被拒绝：陈编辑 在" in html and "修改了这篇文章" in html
    assert "林编辑辛苦写的一大段。" in html  # still in the form
    article.refresh_from_db()
    assert article.body == "<p>陈编辑的修改。</p>"
    assert article.updated_by.username == "chen"
    assert Version.objects.get_for_object(article).count() == 1  # only chen's save made a revision


def test_saving_again_after_reopening_works(two_editors):
    chen, lin = two_editors
    article = ArticleFactory(draft=True)
    stale = article_form(article)
    chen.post(change_url(article), {**stale, "body": "<p>第一版。</p>"})
    article.refresh_from_db()
    response = lin.post(change_url(article), {**article_form(article), "body": "<p>合并后的版本。</p>"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.body, article.version) == ("<p>合并后的版本。</p>", 3)


def test_an_invalid_save_does_not_lock_the_editor_out(two_editors):
    chen, _ = two_editors
    article = ArticleFactory(draft=True)
    form = article_form(article)
    assert chen.post(change_url(article), {**form, "title": ""}).status_code == 200  # title is required
    assert chen.post(change_url(article), {**form, "title": "改好的标题"}).status_code == 302
    assert Article.objects.get().title == "改好的标题"


def test_a_review_step_taken_meanwhile_also_refuses_the_stale_save(two_editors, staff, client_for):
    chen, _ = two_editors
    article = ArticleFactory(draft=True, created_by=staff.reporter)
    form = article_form(article)
    client_for(staff.reporter).post(f"/admin/articles/article/{article.pk}/workflow/", {"action": "submit"})
    response = chen.post(change_url(article), {**form, "body": "<p>迟到的修改。</p>"})
    assert "保存被拒绝：李明 在" in response.content.decode()


def test_the_change_form_shows_who_else_has_it_open(two_editors):
    chen, lin = two_editors
    article = ArticleFactory(draft=True)
    chen.get(change_url(article))
    html = lin.get(change_url(article)).content.decode()
    assert "现在也打开着这篇文章：" in html and "陈编辑" in html
    assert "林编辑" not in html[html.index("现在也打开着") : html.index("保存时如果")]
    # the rules (expiry, editing or reading, leaving): tests/articles/test_presence.py


def test_every_save_keeps_a_revision_with_a_readable_diff_and_restore(two_editors):
    chen, _ = two_editors
    article = ArticleFactory(draft=True, title="江门推进“百千万工程”", body="<p>江门迅速行动。</p>")
    for change in ({}, {"title": "江门加力推进“百千万工程”"}, {"body": "<p>江门迅速行动，开好了局。</p>"}):
        article.refresh_from_db()
        assert chen.post(change_url(article), article_form(article, **change)).status_code == 302

    newest, middle, oldest = Version.objects.get_for_object(article)
    history = chen.get(f"/admin/articles/article/{article.pk}/revisions/").content.decode()
    assert history.count("恢复这个版本") == 2  # every version but the current one
    diff = chen.get(
        f"/admin/articles/article/{article.pk}/revisions/compare/", {"old": oldest.pk, "new": newest.pk}
    ).content.decode()
    assert "江门<ins>加力</ins>推进“百千万工程”" in diff
    assert "江门迅速行动<ins>，开好了局</ins>。" in diff

    seen = Article.objects.get(pk=article.pk).version  # restoring is confirmed on a page that shows the diff
    chen.post(f"/admin/articles/article/{article.pk}/revisions/{oldest.pk}/restore/", {"loaded_version": seen})
    article.refresh_from_db()
    assert (article.title, article.body) == ("江门推进“百千万工程”", "<p>江门迅速行动。</p>")
    assert Version.objects.get_for_object(article).count() == 4  # restoring is a revision too
    assert Version.objects.get_for_object(article).first().revision.get_comment().startswith("恢复到")


def test_revisions_include_bylines(two_editors):
    from tests.factories import BylineFactory

    chen, _ = two_editors
    article = ArticleFactory(draft=True)
    BylineFactory(article=article)
    chen.post(
        change_url(article),
        article_form(
            article,
            **{
                "bylines-TOTAL_FORMS": 1,
                "bylines-INITIAL_FORMS": 1,
                "bylines-0-id": article.bylines.get().pk,
                "bylines-0-article": article.pk,
                "bylines-0-position": 0,
                "bylines-0-role": "通讯员",
                "bylines-0-contributor": article.bylines.get().contributor_id,
            },
        ),
    )
    (version,) = Version.objects.get_for_object(article)
    saved = {v.content_type.model: v.field_dict for v in version.revision.version_set.all()}
    assert saved["byline"]["role"] == "通讯员"  # taken after the inline was saved


def test_restore_needs_the_right_to_edit(staff, client_for, two_editors):
    chen, _ = two_editors
    article = ArticleFactory(draft=True, body="<p>一。</p>")
    chen.post(change_url(article), article_form(article, body="<p>二。</p>"))
    version = Version.objects.get_for_object(article).first()
    response = client_for(staff.desk_head).post(f"/admin/articles/article/{article.pk}/revisions/{version.pk}/restore/")
    assert response.status_code == 403


def test_compare_with_a_foreign_version_is_404(two_editors):
    chen, _ = two_editors
    mine, other = ArticleFactory(draft=True), ArticleFactory(draft=True)
    chen.post(change_url(other), article_form(other))
    foreign = Version.objects.get_for_object(other).get()
    response = chen.get(f"/admin/articles/article/{mine.pk}/revisions/compare/", {"old": foreign.pk, "new": foreign.pk})
    assert response.status_code == 404
    assert chen.get(f"/admin/articles/article/{mine.pk}/revisions/compare/", {"old": "x"}).status_code == 404
