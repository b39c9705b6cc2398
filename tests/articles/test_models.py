from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Contributor, Credit, Series
from articles.slugs import pinyin_slug
from tests.factories import ArticleFactory, ContributorFactory, SeriesFactory

pytestmark = pytest.mark.django_db


def test_published_is_live_published_articles_only():
    now = timezone.now()
    live = ArticleFactory()
    live_until_tomorrow = ArticleFactory(expire_at=now + timedelta(days=1))
    ArticleFactory(draft=True)
    ArticleFactory(status=Article.Status.WITHDRAWN)
    ArticleFactory(publish_at=now + timedelta(minutes=1))  # scheduled
    ArticleFactory(publish_at=now - timedelta(days=2), expire_at=now - timedelta(seconds=1))  # expired
    assert set(Article.objects.published()) == {live, live_until_tomorrow}
    assert [a.is_live for a in Article.objects.order_by("pk")] == [True, True, False, False, False, False]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("以“头号力度”拼出“头号工程”新图景", "yi-tou-hao-li-du-pin-chu-tou-hao-gong-cheng-xin-tu-jing"),
        ("百千万", "bai-qian-wan"),
        ("江门迈入万亿GDP城市 5G 2024年", "jiang-men-mai-ru-wan-yi-gdp-cheng-shi-5g-2024-nian"),
        ("重庆", "chong-qing"),
        ("“”！？", "untitled"),
    ],
)
def test_pinyin_slugs(text, slug):
    assert pinyin_slug(text) == slug


def test_long_slugs_are_cut_at_a_syllable():
    slug = pinyin_slug("城乡区域协调发展" * 10)
    assert len(slug) <= 80 and not slug.endswith("-")
    assert slug.startswith("cheng-xiang-qu-yu-xie-tiao-fa-zhan")


def test_slugs_are_unique():
    first, second = ArticleFactory(title="同一个标题"), ArticleFactory(title="同一个标题")
    assert (first.slug, second.slug) == ("tong-yi-ge-biao-ti", "tong-yi-ge-biao-ti-2")
    assert SeriesFactory(name="奋进").slug == "fen-jin"
    assert ContributorFactory(name="赵可义").slug == "zhao-ke-yi"


def test_slug_cannot_change_once_published():
    article = ArticleFactory(title="头号工程")
    article.slug = "another"
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert "网址标识不能再改" in str(caught.value)


def test_a_draft_slug_may_change():
    article = ArticleFactory(draft=True)
    article.slug = "another"
    article.full_clean()


def test_the_database_refuses_a_published_article_without_a_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(title="无时间", body="正文", status=Article.Status.PUBLISHED, publish_at=None)


def test_the_database_refuses_expiry_before_publication():
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(publish_at=now, expire_at=now - timedelta(hours=1))


def test_a_credit_belongs_to_an_article_or_a_series_not_both():
    person = ContributorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.create(contributor=person, role="出品", article=ArticleFactory(), series=SeriesFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.create(contributor=person, role="出品")


def test_one_contributor_may_hold_several_roles_but_not_the_same_twice():
    person, series = ContributorFactory(), SeriesFactory()
    Credit.objects.create(contributor=person, role="总策划", series=series)
    Credit.objects.create(contributor=person, role="出品人", series=series)
    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.create(contributor=person, role="总策划", series=series)


def test_names_are_unique():
    Contributor.objects.create(name="赵可义")
    with pytest.raises(IntegrityError), transaction.atomic():
        Contributor.objects.create(name="赵可义")
    Series.objects.create(name="奋进")
    with pytest.raises(IntegrityError), transaction.atomic():
        Series.objects.create(name="奋进")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("江门日报社", "organisation"),
        ("新华社", "organisation"),
        ("江门市委宣传部", "organisation"),
        ("赵可义", "person"),
    ],
)
def test_kind_for_name(name, kind):
    assert Contributor.kind_for_name(name) == kind


def test_abstract_is_the_summary_or_the_opening_of_the_text():
    article = Article(summary="  江门加力提速推进“百千万工程”。 ", body="<p>正文。</p>")
    assert article.abstract == "江门加力提速推进“百千万工程”。"
    article.summary = ""
    article.body = "<p>战鼓催征马蹄疾，</p><p>奋勇争先正当时。</p>" + "<p>" + "江" * 200 + "</p>"
    assert article.abstract.startswith("战鼓催征马蹄疾，奋勇争先正当时。江江")  # paragraphs joined, no spaces
    assert len(article.abstract) == 120 and article.abstract.endswith("…")
