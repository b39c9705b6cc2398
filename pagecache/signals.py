"""Every write to what public pages show changes the content version.

Receivers on every model of the ``articles`` and ``images`` apps (so a model
added there later is covered without a line here), but for the staff-only
records in ``IGNORED``. The services (articles/services/) write through
``save()``, and so do the admin's inlines, so each path of a change passes
here: an edit, a review step, a publication, a withdrawal, a correction, a
series' intro, credits, parent or cover, a contributor, a picture's caption
or credit, a byline. ``QuerySet.update()`` and ``bulk_create()`` send no
signals: code that uses them on content must call ``version.changed()``.

Readers only ever see an article that is 已发布 (live, scheduled or expired:
``published()`` picks among those by the clock). A write to an article that
is not, and was not before the write, nor to its bylines, credits or
corrections, changes no public page, and leaves the version alone: a desk
writing and reviewing drafts all day does not empty the page cache.
"""

from django.apps import apps
from django.db.models import signals

from articles.models import Article

from . import version

APPS = ("articles", "images")
# Written often by staff, never shown to readers: who opened an edit page,
# the sign-off history (each step also saves its article),
# and the links to preview a draft (the preview page is never cached).
IGNORED = {"articles.articleopen", "articles.transition", "articles.previewlink"}


def content_models():
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label_lower not in IGNORED:
                yield model


def connect() -> None:
    signals.pre_save.connect(_before_article_save, sender=Article, dispatch_uid="pagecache-pre-save-article")
    for model in content_models():
        signals.post_save.connect(_saved, sender=model, dispatch_uid=f"pagecache-save-{model._meta.label_lower}")
        signals.post_delete.connect(_deleted, sender=model, dispatch_uid=f"pagecache-del-{model._meta.label_lower}")
        for m2m in model._meta.local_many_to_many:
            signals.m2m_changed.connect(_m2m_changed, sender=m2m.remote_field.through)


def _before_article_save(sender, instance, **kwargs):
    # Only needed when the article is not 已发布 now: was it before this write?
    if instance.status != Article.Status.PUBLISHED and instance.pk is not None:
        instance._pagecache_was_signed_off = Article.objects.signed_off().filter(pk=instance.pk).exists()


def _saved(sender, instance, **kwargs):
    if not readers_may_see(instance):
        return
    # An article's own times join the schedule at once; other rows have none.
    version.changed(times=version.article_times(instance) if isinstance(instance, Article) else ())


def _deleted(sender, instance, **kwargs):
    if readers_may_see(instance):
        version.changed()


def readers_may_see(instance) -> bool:
    """Whether a write to ``instance`` may change a public page: anything but an
    article that is not 已发布 (and was not before this write) and its rows."""
    if isinstance(instance, Article):
        return instance.status == Article.Status.PUBLISHED or getattr(instance, "_pagecache_was_signed_off", False)
    article_id = getattr(instance, "article_id", None)
    if article_id is None:
        return True  # not an article's row (a series' credit, a contributor, a picture …)
    field = type(instance)._meta.get_field("article")
    if field.is_cached(instance):
        return instance.article.status == Article.Status.PUBLISHED
    return Article.objects.signed_off().filter(pk=article_id).exists()


def _m2m_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        version.changed()
