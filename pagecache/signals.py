"""Every write to what public pages show changes the content version.

Receivers on every model of the ``articles`` and ``images`` apps (so a model
added there later is covered without a line here), but for the staff-only
records in ``IGNORED``. The services (articles/services/) write through
``save()``, and so do the admin's inlines, so each path of a change passes
here: an edit, a review step, a publication, a withdrawal, a correction, a
series' intro, credits, parent or cover, a contributor, a picture's caption
or credit, a byline. ``QuerySet.update()`` and ``bulk_create()`` send no
signals: code that uses them on content must call ``version.changed()``.
"""

from django.apps import apps
from django.db.models import signals

from articles.models import Article

from . import version

APPS = ("articles", "images")
# Written often by staff, never shown to readers: who opened an edit page,
# and the sign-off history (each step also saves its article).
IGNORED = {"articles.articleopen", "articles.transition"}


def content_models():
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label_lower not in IGNORED:
                yield model


def connect() -> None:
    for model in content_models():
        signals.post_save.connect(_saved, sender=model, dispatch_uid=f"pagecache-save-{model._meta.label_lower}")
        signals.post_delete.connect(_deleted, sender=model, dispatch_uid=f"pagecache-del-{model._meta.label_lower}")
        for m2m in model._meta.local_many_to_many:
            signals.m2m_changed.connect(_m2m_changed, sender=m2m.remote_field.through)


def _saved(sender, instance, **kwargs):
    # An article's own times join the schedule at once; other rows have none.
    version.changed(times=version.article_times(instance) if isinstance(instance, Article) else ())


def _deleted(sender, instance, **kwargs):
    version.changed()


def _m2m_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        version.changed()
