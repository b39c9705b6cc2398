from datetime import timedelta

import factory
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.utils import timezone

from articles.models import Article, Byline, Contributor, Credit, PreviewLink, Series
from articles.previews import preview_lifetime
from articles.previews import preview_url as _preview_url
from articles.roles import ensure_roles
from articles.wordcount import word_count
from images.models import Image
from images.roles import grant_image_permissions
from proofing.roles import grant_proofing_permissions
from tests import pictures


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
    word_count = factory.LazyAttribute(lambda a: word_count(a.body))  # as services.store_article stores it
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    first_published_at = factory.LazyAttribute(
        lambda a: a.publish_at if a.status in (Article.Status.PUBLISHED, Article.Status.WITHDRAWN) else None
    )

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, publish_at=None)


class PreviewLinkFactory(factory.django.DjangoModelFactory):
    """A working preview link to a draft, made by a reporter (see preview_url)."""

    class Meta:
        model = PreviewLink

    article = factory.SubFactory(ArticleFactory, draft=True)
    slug = factory.LazyAttribute(lambda link: link.article.slug)
    created_by = factory.SubFactory("tests.factories.UserFactory", roles=["记者"])
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda link: link.created_at + preview_lifetime())


def preview_url(article: Article) -> str:
    """The address of a new working preview link to ``article`` (no login needed)."""
    return _preview_url(PreviewLinkFactory(article=article))


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


class ImageFactory(factory.django.DjangoModelFactory):
    """A library picture with a real small JPEG (tests keep MEDIA_ROOT in a
    temporary folder). ``ImageFactory(size=(1600, 900))`` for another size."""

    class Meta:
        model = Image

    class Params:
        size = (800, 600)

    file = factory.LazyAttribute(lambda o: ContentFile(pictures.jpeg(*o.size), name="upload.jpg"))
    width = factory.LazyAttribute(lambda o: o.size[0])
    height = factory.LazyAttribute(lambda o: o.size[1])
    file_size = factory.LazyAttribute(lambda o: o.file.size)
    alt = "江门五邑大桥夜景"
    caption = factory.Sequence(lambda n: f"图片说明{n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A newsroom account: staff, in the groups named by ``roles`` (记者, 编辑, 部门主任, 总编辑)."""

    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"同事{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "newsroom-pass")

    @factory.post_generation
    def roles(user, create, extracted, **kwargs):
        if create and extracted:
            ensure_roles()  # transactional tests flush the groups the migration made
            grant_image_permissions()  # and the picture permissions images' migration gave them
            grant_proofing_permissions()  # and the word lists' (proofing's migration)
            user.groups.set(Group.objects.filter(name__in=extracted))
        if create:
            user.save()


def hours_ago(hours: int):
    """The moment ``hours`` before now: a publish_at for articles in a known order."""
    return timezone.now() - timedelta(hours=hours)


def not_public_states() -> dict[str, dict]:
    """Every way an article can be off the public site, as ArticleFactory arguments."""
    now = timezone.now()
    return {
        "draft": {"draft": True},
        "in review": {"status": Article.Status.SECOND_REVIEW, "publish_at": None},
        "withdrawn": {"status": Article.Status.WITHDRAWN},
        "scheduled": {"publish_at": now + timedelta(days=1)},
        "expired": {"publish_at": now - timedelta(days=2), "expire_at": now - timedelta(days=1)},
    }
