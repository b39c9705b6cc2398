"""Reads compiled once and run with new values (newsroom/prepared.py): the
same rows as the ORM, the arguments bound afresh on every call, and a
builder that cannot be prepared refused at its first use."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.safestring import SafeString

from articles.models import Article, Byline, Correction, Credit
from articles.models.articles import public_article
from newsroom.prepared import PreparedRead, attach
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, CreditFactory, SeriesFactory

pytestmark = pytest.mark.django_db

public_by_slug = PreparedRead(
    lambda now, slug: Article.objects.published(now=now).select_related("series__parent").filter(slug=slug),
    now=datetime,
    slug=str,
)
ids_in_series = PreparedRead(
    lambda now, series: (
        Article.objects.published(now=now).filter(series=series).order_by("pk").values_list("pk", flat=True)
    ),
    now=datetime,
    series=int,
)
titles_of = PreparedRead(
    lambda articles: Article.objects.filter(pk__in=articles).order_by("pk").values_list("pk", "title"),
    articles=list[int],
)


def test_a_prepared_read_gives_the_orms_instances_with_their_related_rows_in_one_query():
    parent = SeriesFactory(name="奋进")
    article = ArticleFactory(title="“百千万工程”里的江门", series=SeriesFactory(name="百千万", parent=parent))
    public_by_slug(now=timezone.now(), slug=article.slug)  # compiled at the first use
    with CaptureQueriesContext(connection) as queries:
        (found,) = public_by_slug(now=timezone.now(), slug=article.slug)
        assert (found.pk, found.title, found.series.name, found.series.parent.name) == (
            article.pk,
            "“百千万工程”里的江门",
            "百千万",
            "奋进",
        )
        assert found.publish_at == article.publish_at and found.publish_at.tzinfo is not None
    assert len(queries) == 1
    assert public_by_slug(now=timezone.now(), slug="no-such-article") == []
    # Bound as declared, whatever the value's own class (a URL's slug may be a str subclass).
    assert [a.pk for a in public_by_slug(now=timezone.now(), slug=SafeString(article.slug))] == [article.pk]


def test_the_time_is_bound_on_every_call_so_a_scheduled_article_appears_when_its_time_comes():
    start = timezone.now()
    scheduled = ArticleFactory(publish_at=start + timedelta(hours=2))
    expiring = ArticleFactory(
        series=scheduled.series, publish_at=start - timedelta(days=1), expire_at=start + timedelta(hours=1)
    )
    with time_machine.travel(start, tick=False):
        assert ids_in_series(now=timezone.now(), series=scheduled.series_id) == [expiring.pk]
        assert public_by_slug(now=timezone.now(), slug=scheduled.slug) == []
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        assert ids_in_series(now=timezone.now(), series=scheduled.series_id) == [scheduled.pk]
        assert [a.pk for a in public_by_slug(now=timezone.now(), slug=scheduled.slug)] == [scheduled.pk]


def test_a_draft_is_never_read_as_public():
    draft = ArticleFactory(draft=True)
    assert public_by_slug(now=timezone.now(), slug=draft.slug) == []
    assert ids_in_series(now=timezone.now(), series=draft.series_id) == []


def test_a_list_argument_of_any_length_and_an_empty_one_without_a_query():
    articles = ArticleFactory.create_batch(3)
    for n in (1, 3, 2, 1):
        wanted = [a.pk for a in articles[:n]]
        assert titles_of(articles=wanted) == [(a.pk, a.title) for a in articles[:n]]
    with CaptureQueriesContext(connection) as queries:
        assert titles_of(articles=[]) == []
    assert len(queries) == 0


def test_an_empty_list_in_an_or_reads_the_other_branch():
    article = ArticleFactory()
    credit = CreditFactory(article=article, series=None)
    credits = PreparedRead(
        lambda series, article: Credit.objects.filter(Q(series__in=series) | Q(article=article)),
        series=list[int],
        article=int,
    )
    assert [c.pk for c in credits(series=[], article=article.pk)] == [credit.pk]


def test_an_exists_subquery_binds_its_time_too():
    contributor = ContributorFactory()
    live, scheduled = ArticleFactory(), ArticleFactory(publish_at=timezone.now() + timedelta(hours=1))
    for article in (live, scheduled):
        BylineFactory(article=article, contributor=contributor)
    articles_by = PreparedRead(
        lambda now, authors: (
            Byline.objects.filter(public_article(now=now), contributor__in=authors)
            .order_by("article")
            .values_list("article", flat=True)
        ),
        now=datetime,
        authors=list[int],
    )
    assert articles_by(now=timezone.now(), authors=[contributor.pk]) == [live.pk]
    assert articles_by(now=timezone.now() + timedelta(hours=2), authors=[contributor.pk]) == [live.pk, scheduled.pk]


def test_annotations_and_deferred_fields_come_as_the_orm_gives_them():
    from django.db.models.functions import Length

    article = ArticleFactory(body="<p>一二三</p>")
    read = PreparedRead(
        lambda articles: Article.objects.filter(pk__in=articles).defer("body").annotate(body_length=Length("body")),
        articles=list[int],
    )
    (found,) = read(articles=[article.pk])
    assert found.body_length == len("<p>一二三</p>")
    assert "body" in found.get_deferred_fields()


def test_attach_gives_each_article_its_rows_as_a_prefetch_would():
    first, second = ArticleFactory(), ArticleFactory()
    a = BylineFactory(article=first, role="文", position=1)
    b = BylineFactory(article=first, role="图", position=2)
    bylines_of = PreparedRead(
        lambda articles: Byline.objects.select_related("contributor").filter(article__in=articles), articles=list[int]
    )
    corrections_of = PreparedRead(lambda articles: Correction.objects.filter(article__in=articles), articles=list[int])
    pair = list(Article.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk"))
    attach(pair, "bylines", bylines_of(articles=[first.pk, second.pk]))
    attach(pair, "corrections", corrections_of(articles=[first.pk, second.pk]))
    with CaptureQueriesContext(connection) as queries:
        assert [(x.pk, x.contributor.name, x.article is pair[0]) for x in pair[0].bylines.all()] == [
            (a.pk, a.contributor.name, True),
            (b.pk, b.contributor.name, True),
        ]
        assert list(pair[1].bylines.all()) == [] and list(pair[0].corrections.all()) == []
    assert len(queries) == 0


@pytest.mark.parametrize(
    "build, arguments",
    [
        # The word goes into a LIKE pattern, not as the parameter given.
        (lambda word: Article.objects.filter(title__contains=word), {"word": str}),
        # The statement's text depends on the value.
        (
            lambda slug: Article.objects.filter(slug=slug) if slug.endswith("a-0") else Article.objects.all(),
            {"slug": str},
        ),
        # The argument is never used.
        (lambda slug: Article.objects.all(), {"slug": str}),
        # Prefetches are the caller's, with attach().
        (lambda slug: Article.objects.filter(slug=slug).prefetch_related("bylines"), {"slug": str}),
    ],
    ids=["a LIKE pattern", "text depends on value", "unused argument", "prefetch"],
)
def test_a_builder_that_cannot_be_prepared_is_refused_at_its_first_use(build, arguments):
    read = PreparedRead(build, **arguments)
    with pytest.raises(ImproperlyConfigured, match="PreparedRead"):
        read(**{name: "x" for name in arguments})


def test_wrong_arguments_and_unknown_kinds_are_refused():
    with pytest.raises(TypeError):
        public_by_slug(slug="x")
    with pytest.raises(ImproperlyConfigured):
        PreparedRead(lambda ratio: Article.objects.all(), ratio=float)


def test_a_sliced_read_binds_its_window_and_keeps_one_statement_for_every_page():
    articles = ArticleFactory.create_batch(5)
    newest_first = PreparedRead(
        lambda now: Article.objects.published(now=now).order_by("-pk").values_list("pk", flat=True),
        sliced=True,
        now=datetime,
    )
    ids = [a.pk for a in reversed(articles)]
    now = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        pages = [newest_first(now=now, start=start, stop=start + 2) for start in (0, 2, 4)]
    assert pages == [ids[0:2], ids[2:4], ids[4:5]]
    assert len({query["sql"].split(" LIMIT ")[0] for query in queries}) == 1 and len(queries) == 3
    assert len(newest_first._plans) == 1
    with pytest.raises(TypeError):
        newest_first(now=now)  # no window
    sliced_twice = PreparedRead(lambda now: Article.objects.published(now=now)[:3], sliced=True, now=datetime)
    with pytest.raises(ImproperlyConfigured, match="must not slice"):
        sliced_twice(now=now, start=0, stop=2)


def test_a_count_reads_as_one_value():
    from articles.views.furniture import counted

    ArticleFactory.create_batch(3)
    ArticleFactory(draft=True)
    count = PreparedRead(lambda now: counted(Article.objects.published(now=now)), now=datetime)
    assert count(now=timezone.now()) == [3]
