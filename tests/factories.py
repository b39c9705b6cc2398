from datetime import timedelta

import factory
from django.utils import timezone

from articles.models import Article, Byline, Contributor, Credit, Series


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"专题{n}")


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"作者{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article, live since an hour ago."""

    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"测试文章“第{n}篇”")
    series = factory.SubFactory(SeriesFactory)
    body = "<p>正文。</p>"
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, publish_at=None)


class BylineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    contributor = factory.SubFactory(ContributorFactory)
    role = "记者"
    position = factory.Sequence(int)


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credit

    contributor = factory.SubFactory(ContributorFactory)
    role = "责任编辑"
    position = factory.Sequence(int)
