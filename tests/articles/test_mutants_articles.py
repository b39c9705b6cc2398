"""Rules of articles/models/* that the mutation check found untested
(docs/testing.md, "Mutation check")."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleOpen, Contributor, PreviewLink, Series
from articles.models.articles import ABSTRACT_LENGTH, check_publishing_time
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CreditFactory,
    ImageFactory,
    PreviewLinkFactory,
    SeriesFactory,
    UserFactory,
)
from tests.forms import article_form

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


def test_a_refused_expiry_names_both_times_in_beijing_time(staff, client_for):
    """The editor reads which times clash, as the newsroom writes them: full
    year, month and day without a leading zero, 24-hour clock, Beijing time."""
    article = ArticleFactory(body="<p>正文。</p>", publish_at=datetime(2026, 3, 1, 14, 5, tzinfo=BEIJING))
    response = client_for(staff.editor).post(
        f"/admin/articles/article/{article.pk}/change/",
        article_form(article, expire_at_0="2026-03-01", expire_at_1="13:05"),
    )
    assert response.status_code == 200
    assert (
        "<li>下线时间必须晚于发布时间：发布时间是 2026年3月1日 14:05，下线时间是 2026年3月1日 13:05。</li>"
        in response.content.decode()
    )
    article.refresh_from_db()
    assert article.expire_at is None


def test_signing_off_for_the_year_1_is_refused_on_the_publishing_time(staff):
    """The 终审 form's time is checked before any date arithmetic: a slip of the keyboard is a message."""
    article = ArticleFactory(status=Article.Status.FINAL_REVIEW, publish_at=None, first_published_at=None)
    with pytest.raises(ValidationError) as refused:
        services.article_publish(article=article, by=staff.chief, at=datetime(1, 1, 1, 9, 0, tzinfo=BEIJING))
    assert refused.value.message_dict == {
        "publish_at": ["发布时间必须在 2000 年到 2100 年之间（北京时间），这里填的是 1 年。"]
    }
    assert Article.objects.get(pk=article.pk).status == Article.Status.FINAL_REVIEW


@pytest.mark.parametrize("year", [2000, 2100])
def test_the_first_and_last_publishing_years_are_allowed(year):
    check_publishing_time(datetime(year, 6, 1, tzinfo=BEIJING), field="expire_at")


@pytest.mark.parametrize("year", [1999, 2101])
def test_a_year_just_outside_is_refused_on_its_field_with_its_label(year):
    with pytest.raises(ValidationError) as refused:
        check_publishing_time(datetime(year, 6, 1, tzinfo=BEIJING), field="expire_at")
    assert refused.value.message_dict == {
        "expire_at": [f"下线时间必须在 2000 年到 2100 年之间（北京时间），这里填的是 {year} 年。"]
    }


def test_both_times_out_of_range_are_refused_at_once_each_on_its_field():
    article = Article(
        title="开平碉楼",
        body="<p>正文。</p>",
        publish_at=datetime(1, 1, 1, tzinfo=BEIJING),
        expire_at=datetime(9999, 12, 31, tzinfo=BEIJING),
    )
    with pytest.raises(ValidationError) as refused:
        article.clean()
    assert refused.value.message_dict == {
        "publish_at": ["发布时间必须在 2000 年到 2100 年之间（北京时间），这里填的是 1 年。"],
        "expire_at": ["下线时间必须在 2000 年到 2100 年之间（北京时间），这里填的是 9999 年。"],
    }


def test_an_expiry_out_of_range_after_a_good_publishing_time_is_refused():
    article = Article(publish_at=datetime(2026, 3, 1, tzinfo=BEIJING), expire_at=datetime(9999, 1, 1, tzinfo=BEIJING))
    with pytest.raises(ValidationError) as refused:
        article.clean()
    assert refused.value.message_dict == {
        "expire_at": ["下线时间必须在 2000 年到 2100 年之间（北京时间），这里填的是 9999 年。"]
    }


def test_the_refusal_to_change_a_published_slug_says_why_on_the_slug():
    article = ArticleFactory(title="开平碉楼")
    article.slug = "kaiping"
    with pytest.raises(ValidationError) as refused:
        article.clean()
    assert refused.value.message_dict == {"slug": ["文章已经发布过，网址标识不能再改（否则旧链接会失效）。"]}


def test_a_draft_whose_slug_is_cleared_gets_its_own_slug_back():
    """Its own stored slug is not taken by someone else: no ``-2``."""
    article = ArticleFactory(draft=True, title="开平碉楼")
    slug = article.slug
    article.slug = ""
    article.save()
    assert Article.objects.get(pk=article.pk).slug == slug == "kai-ping-diao-lou"


# --- series: one level deep -------------------------------------------------------


def parent_refusal(series: Series) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        series.clean()
    return refused.value.message_dict["parent"]


def test_a_series_cannot_be_its_own_special_issue():
    series = SeriesFactory(name="奋进")
    series.parent_id = series.pk
    assert parent_refusal(series) == ["专题不能属于它自己。"]


def test_a_column_cannot_have_columns_and_the_refusal_names_it():
    special_issue = SeriesFactory(name="奋进")
    column = SeriesFactory(name="百千万", parent=special_issue)
    assert parent_refusal(Series(name="镇街", parent=column)) == ["“百千万”本身是栏目，不能再有栏目。"]


def test_a_special_issue_with_columns_cannot_join_another():
    special_issue = SeriesFactory(name="奋进")
    SeriesFactory(name="百千万", parent=special_issue)
    special_issue.parent = SeriesFactory(name="侨乡")
    assert parent_refusal(special_issue) == ["这个专刊下面还有栏目，不能再归入别的专刊。"]


def test_a_series_may_be_a_special_issue_or_a_column_of_one_and_move_to_another():
    SeriesFactory(name="奋进").clean()  # a special issue
    Series(name="百千万", parent=SeriesFactory(name="奋进")).clean()  # a new column
    column = SeriesFactory(name="侨乡", parent=SeriesFactory(name="奋进"))
    column.parent = SeriesFactory(name="江门")
    column.clean()  # a column without columns moves to another special issue


def test_a_special_issue_is_public_through_its_own_columns_only():
    live = SeriesFactory(name="奋进")
    ArticleFactory(series=SeriesFactory(name="百千万", parent=live))
    empty = SeriesFactory(name="侨乡")
    SeriesFactory(name="侨乡人物", parent=empty)
    public = set(Series.objects.with_public_articles().values_list("name", flat=True))
    assert public == {"奋进", "百千万"}


def test_public_work_is_each_contributors_own():
    """Someone else's public byline or credit does not give a contributor a page."""
    live, draft = ArticleFactory(), ArticleFactory(draft=True)
    live_series, empty_series = SeriesFactory(name="奋进"), SeriesFactory(name="侨乡")
    ArticleFactory(series=live_series)
    BylineFactory(article=live, contributor=ContributorFactory(name="李明"))
    BylineFactory(article=draft, contributor=ContributorFactory(name="王芳"))
    CreditFactory(article=live, contributor=ContributorFactory(name="黄编辑"))
    CreditFactory(article=draft, contributor=ContributorFactory(name="赵编辑"))
    CreditFactory(article=None, series=live_series, contributor=ContributorFactory(name="周总策划"))
    CreditFactory(article=None, series=empty_series, contributor=ContributorFactory(name="吴总策划"))
    public = set(Contributor.objects.with_public_work().values_list("name", flat=True))
    assert public == {"李明", "黄编辑", "周总策划"}


# --- lists: a fixed number of queries ---------------------------------------------


def test_a_list_reads_series_special_issue_cover_credit_and_bylines_in_two_queries(django_assert_num_queries):
    """What every list shows costs the same however long the list: one query
    for the articles with their series, special issue, cover and its credit,
    one for the bylines."""
    for name in ("李明", "王芳"):
        cover = ImageFactory(credit=ContributorFactory(name=f"摄影{name}"))
        series = SeriesFactory(name=f"栏目{name}", parent=SeriesFactory(name=f"专刊{name}"))
        BylineFactory(article=ArticleFactory(series=series, cover=cover), contributor=ContributorFactory(name=name))
    with django_assert_num_queries(2):
        shown = [
            (a.series.parent.name, a.cover.credit.name, [b.contributor.name for b in a.bylines.all()])
            for a in Article.objects.for_lists()
        ]
    assert sorted(shown) == [("专刊李明", "摄影李明", ["李明"]), ("专刊王芳", "摄影王芳", ["王芳"])]


def test_a_teaser_list_reads_the_first_1000_characters_of_the_body_and_a_full_list_all_of_it():
    body = "<p>" + "开平碉楼与村落。" * 150 + "</p>"
    ArticleFactory(body=body)
    [teaser] = Article.objects.public_list(teasers=True)
    [full] = Article.objects.public_list()
    assert ("body" in teaser.get_deferred_fields(), teaser.body_opening) == (True, body[:1000])
    assert "body" not in full.get_deferred_fields()


def test_a_preview_link_key_is_96_random_bits_in_16_url_safe_characters():
    link = PreviewLink(article=ArticleFactory(), expires_at=None)
    assert len(link.key) == 16 and link.key.replace("-", "").replace("_", "").isalnum()


# --- names on the admin's delete confirmation --------------------------------------


def test_an_open_page_and_a_preview_link_are_named_for_the_delete_confirmation():
    """Deleting an article lists what goes with it: its open pages and its preview links, by these names."""
    chen = UserFactory(username="chen", first_name="陈编辑", roles=["编辑"])
    article = ArticleFactory(title="开平碉楼")
    seen = datetime(2026, 3, 5, 14, 7, 9, tzinfo=BEIJING)
    editing = ArticleOpen(article=article, user=chen, page="a" * 32, last_seen_at=seen, is_editing=True)
    reading = ArticleOpen(article=article, user=chen, page="b" * 32, last_seen_at=seen, is_editing=False)
    assert str(editing) == "陈编辑，正在编辑，2026-03-05 14:07:09"
    assert str(reading) == "陈编辑，正在查看，2026-03-05 14:07:09"
    assert str(PreviewLink(article=article)) == "《开平碉楼》的预览链接"


# --- the models' properties (mutated in a copy where @property was written as
# name = property(name); docs/testing.md) ---------------------------------------


def test_at_the_very_moment_of_its_time_an_article_goes_live_and_a_published_one_goes_offline():
    publish = timezone.now() + timedelta(hours=1)
    going_live = ArticleFactory(publish_at=publish)
    expiring = ArticleFactory(expire_at=publish)
    with time_machine.travel(publish, tick=False):
        assert going_live.is_live and not going_live.is_scheduled
        assert expiring.is_expired and not expiring.is_live
        assert expiring.state == "expired" and expiring.display_status == "已下线"
    with time_machine.travel(publish - timedelta(microseconds=1), tick=False):
        assert not going_live.is_live and going_live.display_status == "已排期"
        assert expiring.is_live and not expiring.is_expired


def test_a_preview_link_stops_at_the_very_moment_it_expires():
    link = PreviewLinkFactory()
    with time_machine.travel(link.expires_at, tick=False):
        assert link.state == PreviewLink.State.EXPIRED and not link.is_active
    with time_machine.travel(link.expires_at - timedelta(microseconds=1), tick=False):
        assert link.is_active


def test_a_series_with_columns_is_a_special_issue():
    special = SeriesFactory(name="奋进")
    column = SeriesFactory(name="百千万", parent=special)
    assert special.is_special_issue and not column.is_special_issue


def test_an_abstract_cut_at_its_length_says_the_text_goes_on():
    """An opening whose text is exactly the abstract's length, with more body
    after it, ends in …: the reader sees the text goes on."""
    body = "<p>" + "字" * ABSTRACT_LENGTH + "<i></i>" * 200 + "</p><p>后文</p>"
    article = ArticleFactory(summary="", body=body)
    teaser = Article.objects.for_teasers().get(pk=article.pk)
    assert teaser.abstract == "字" * (ABSTRACT_LENGTH - 1) + "…"


def test_an_abstract_reads_the_body_when_only_the_body_was_deferred():
    article = ArticleFactory(summary="", body="<p>江门提出：要加力提速。</p>")
    assert Article.objects.defer("body").get(pk=article.pk).abstract == "江门提出：要加力提速。"
