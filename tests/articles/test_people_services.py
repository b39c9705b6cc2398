"""Bylines, credits, contributors and the order of a series are written by
the services (articles/services/people.py): from the admin's inlines, the
series page and the seed loader alike, with a version and a revision where
an article changes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from reversion.models import Version

from articles import revisions, services
from articles.models import Article, Contributor, Credit
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, SeriesFactory
from tests.forms import article_form, series_form

pytestmark = pytest.mark.django_db


def people(article, kind="bylines"):
    return [(row.role, row.contributor.name, row.position) for row in getattr(article, kind).order_by("position")]


# --- contributors ------------------------------------------------------------------


def test_contributor_for_name_finds_the_name_or_creates_it_once():
    known = ContributorFactory(name="李明")
    assert services.contributor_for_name(name="李明") == known
    created = services.contributor_for_name(name="江门日报社")
    assert (created.name, created.kind, created.slug) == ("江门日报社", Contributor.Kind.ORGANISATION, created.slug)
    assert services.contributor_for_name(name="江门日报社") == created
    assert Contributor.objects.count() == 2


def test_contributor_for_name_refuses_a_blank_name_in_chinese():
    with pytest.raises(ValidationError, match="不能为空"):
        services.contributor_for_name(name="  ")
    assert not Contributor.objects.exists()


def test_contributor_for_name_creates_through_contributor_save(monkeypatch):
    """The seed loader's new names are written by the one contributor service, as the system."""
    seen = []
    original = services.people.contributor_save

    def spy(**kwargs):
        seen.append((kwargs["contributor"].name, kwargs["by"]))
        return original(**kwargs)

    monkeypatch.setattr(services.people, "contributor_save", spy)
    services.contributor_for_name(name="江门日报社")
    services.contributor_for_name(name="江门日报社")  # known now: nothing written
    assert seen == [("江门日报社", None)]


def test_a_reporter_adds_a_name_but_writes_no_bio_and_links_no_account(staff):
    created = services.contributor_save(contributor=Contributor(name="王小明"), by=staff.reporter)
    assert Contributor.objects.get(pk=created.pk).slug == "wang-xiao-ming"
    for fields in ({"bio": "未经审核的简介。"}, {"user": staff.reporter}):
        with pytest.raises(PermissionDenied, match="只有编辑可以填写"):
            services.contributor_save(contributor=Contributor(name="李华", **fields), by=staff.reporter)
    assert not Contributor.objects.filter(name="李华").exists()


def test_a_reporter_changes_no_contributor(staff):
    contributor = ContributorFactory(name="王小明")
    contributor.name = "王晓明"
    with pytest.raises(PermissionDenied, match="没有权限修改"):
        services.contributor_save(contributor=contributor, by=staff.reporter)
    assert Contributor.objects.get(pk=contributor.pk).name == "王小明"


def test_an_editor_writes_the_bio_and_links_the_account(staff):
    contributor = ContributorFactory(name="王小明")
    contributor.bio, contributor.user = "江门日报记者。", staff.reporter
    services.contributor_save(contributor=contributor, by=staff.editor)
    contributor.refresh_from_db()
    assert (contributor.bio, contributor.user) == ("江门日报记者。", staff.reporter)


def test_contributor_save_validates_in_chinese(staff):
    ContributorFactory(name="王小明")
    with pytest.raises(ValidationError, match="已存在"):
        services.contributor_save(contributor=Contributor(name="王小明"), by=staff.editor)
    assert Contributor.objects.count() == 1


def test_the_contributor_admin_saves_through_the_service(staff, client_for, monkeypatch):
    seen = []
    original = services.contributor_save

    def spy(**kwargs):
        seen.append((kwargs["contributor"].name, kwargs["by"]))
        return original(**kwargs)

    monkeypatch.setattr(services, "contributor_save", spy)
    editor = client_for(staff.editor)
    add = {"name": "王小明", "slug": "", "kind": "person", "bio": "简介。"}
    assert editor.post("/admin/articles/contributor/add/", add).status_code == 302
    contributor = Contributor.objects.get(name="王小明")
    change = {**add, "slug": contributor.slug, "bio": "新简介。"}
    assert editor.post(f"/admin/articles/contributor/{contributor.pk}/change/", change).status_code == 302
    assert seen == [("王小明", staff.editor)] * 2
    assert Contributor.objects.get().bio == "新简介。"


# --- bylines and credits of an article --------------------------------------------


def test_setting_bylines_is_an_edit_with_a_version_and_a_revision(staff):
    article = ArticleFactory(draft=True, created_by=staff.reporter)
    li, wang = ContributorFactory(name="李明"), ContributorFactory(name="王芳")
    version = article.version
    changed = services.article_set_people(
        article=article, by=staff.reporter, bylines=[(li, "记者"), (wang, "通讯员"), (li, "记者")]
    )
    assert changed
    article.refresh_from_db()
    assert people(article) == [("记者", "李明", 0), ("通讯员", "王芳", 1)]  # the repeat is one byline
    assert (article.version, article.updated_by) == (version + 1, staff.reporter)
    latest = Version.objects.get_for_object(article).first()
    assert latest.revision.user == staff.reporter
    recorded = revisions.people_at(latest)["bylines"]
    assert [(row.role, row.contributor.name) for row in recorded] == [("记者", "李明"), ("通讯员", "王芳")]
    # The same again changes nothing: no version, no revision.
    assert not services.article_set_people(article=article, by=staff.reporter, bylines=[(li, "记者"), (wang, "通讯员")])
    article.refresh_from_db()
    assert article.version == version + 1
    assert Version.objects.get_for_object(article).count() == 1


def test_setting_people_needs_the_right_to_edit_the_article(staff):
    article = ArticleFactory(draft=True, created_by=staff.reporter)
    with pytest.raises(PermissionDenied, match="没有权限"):
        services.article_set_people(
            article=article, by=staff.other_reporter, credits=[(ContributorFactory(name="王芳"), "责任编辑")]
        )
    assert not article.credits.exists()


def test_a_stale_article_is_refused_and_nothing_is_written(staff):
    article = ArticleFactory(draft=True, created_by=staff.reporter)
    stale = Article.objects.get(pk=article.pk)
    services.article_save(article=article, by=staff.reporter)  # someone saved since
    with pytest.raises(services.StaleEdit):
        services.article_set_people(article=stale, by=staff.reporter, bylines=[(ContributorFactory(), "记者")])
    assert not article.bylines.exists()


def test_the_admin_inlines_save_through_the_service(staff, client_for, monkeypatch):
    article = ArticleFactory(draft=True, created_by=staff.reporter)
    kept = BylineFactory(article=article, contributor=ContributorFactory(name="李明"), role="记者")
    wang = ContributorFactory(name="王芳")
    calls = []
    original = services.article_set_people
    monkeypatch.setattr(services, "article_set_people", lambda **kw: calls.append(kw) or original(**kw))
    form = article_form(
        article,
        **{
            "bylines-TOTAL_FORMS": 2,
            "bylines-INITIAL_FORMS": 1,
            "bylines-0-id": kept.pk,
            "bylines-0-article": article.pk,
            "bylines-0-position": 1,
            "bylines-0-role": "记者",
            "bylines-0-contributor": kept.contributor_id,
            "bylines-1-position": 0,
            "bylines-1-role": "摄",
            "bylines-1-contributor": wang.pk,
        },
    )
    response = client_for(staff.reporter).post(f"/admin/articles/article/{article.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()
    assert [sorted(call) for call in calls] == [
        ["article", "by", "bylines", "claimed"],
        ["article", "by", "claimed", "credits"],
    ]
    article.refresh_from_db()
    assert people(article) == [("摄", "王芳", 0), ("记者", "李明", 1)]
    assert article.version == 2  # one edit: the form's claim, not one more for the bylines
    latest = Version.objects.get_for_object(article).first()
    recorded = revisions.people_at(latest)["bylines"]
    assert sorted((row.role, row.contributor.name) for row in recorded) == [("摄", "王芳"), ("记者", "李明")]


# --- series: credits and order ------------------------------------------------------


def test_series_credits_are_replaced_only_when_they_change():
    series = SeriesFactory()
    huang = ContributorFactory(name="黄编辑")
    assert services.series_set_credits(series=series, credits=[(huang, "总策划"), (huang, "出品人")])
    first = list(Credit.objects.filter(series=series).values_list("pk", flat=True))
    assert not services.series_set_credits(series=series, credits=[(huang, "总策划"), (huang, "出品人")])
    assert list(Credit.objects.filter(series=series).values_list("pk", flat=True)) == first
    assert services.series_set_credits(series=series, credits=[])
    assert not Credit.objects.filter(series=series).exists()


def test_reordering_a_series_claims_a_version_and_records_a_revision_per_moved_article(staff):
    series = SeriesFactory(name="百千万")
    first = ArticleFactory(series=series, series_position=0)
    second = ArticleFactory(series=series, series_position=1)
    moved = services.series_reorder(series=series, positions={first.pk: 5, second.pk: 1}, by=staff.editor)
    assert moved == [first]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.series_position, first.version, first.updated_by) == (5, 2, staff.editor)
    assert (second.version, second.updated_by) == (1, None)  # not moved: untouched
    (revision,) = [v.revision for v in Version.objects.get_for_object(first)]
    assert (revision.user, revision.comment) == (staff.editor, "专题内顺序：0 → 5")
    assert not Version.objects.get_for_object(second).exists()


def test_reordering_refuses_articles_of_another_series_and_users_without_the_right(staff):
    series = SeriesFactory(name="百千万")
    mine = ArticleFactory(series=series, series_position=0)
    stranger = ArticleFactory(series=SeriesFactory(name="侨乡"))
    with pytest.raises(ValidationError, match="不在“百千万”里"):
        services.series_reorder(series=series, positions={mine.pk: 3, stranger.pk: 1}, by=staff.editor)
    with pytest.raises(PermissionDenied, match="没有权限调整“百千万”的文章顺序"):
        services.series_reorder(series=series, positions={mine.pk: 3}, by=staff.reporter)
    mine.refresh_from_db()
    assert (mine.series_position, mine.version) == (0, 1)


def test_the_series_page_reorders_through_the_service(admin_client, admin_user):
    series = SeriesFactory(name="百千万")
    first, second = ArticleFactory(series=series, series_position=0), ArticleFactory(series=series, series_position=1)
    huang = ContributorFactory(name="黄编辑")
    response = admin_client.post(
        f"/admin/articles/series/{series.pk}/change/",
        series_form(series, order={first: 5, second: 1}, credits=[("总策划", huang)]),
    )
    assert response.status_code == 302, response.content.decode()
    first.refresh_from_db()
    assert (first.series_position, first.version, first.updated_by) == (5, 2, admin_user)
    assert Version.objects.get_for_object(first).get().revision.user == admin_user
    assert [(c.role, c.contributor.name) for c in series.credits.all()] == [("总策划", "黄编辑")]
