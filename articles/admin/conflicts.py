"""Nothing an editor can lose: the refused second save, and how a save is told apart from a refusal.

When someone else saved the article after this editor opened it, the save is
refused (``services.StaleEdit``, raised while the form is validated) and the
form comes back with the editor's text in it. This module adds to that page:

- what the other person changed: their save compared with the text this
  editor loaded (found in the revisions by its version number; when no
  revision holds it, the editor's own text compared with the current one);
- a button that loads the current text into the form (and the current
  version, so the next save goes through), while the editor's own text stays
  beside it, read-only with a copy button, on every page until they save
  (it travels in the form as ``own_drafts``).

The admin rolls back a POST that did not save (ArticleAdmin.changeform_view);
``was_saved`` tells it which POSTs did: the admin's success responses
(``response_add`` / ``response_change``, pop-ups included) mark the request.
"""

import copy
import json

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from articles import revisions
from articles.models import Article
from articles.people import user_name
from articles.richtext import render_body

_SAVED = "_newsroom_form_saved"


def was_saved(request) -> bool:
    """Whether the admin saved the form of this request (it returned a success response)."""
    return getattr(request, _SAVED, False)


def own_text(data) -> dict:
    """The article text in a submitted form (line breaks as stored: a browser sends \\r\\n)."""
    return {name: data.get(name, "").replace("\r\n", "\n") for name in revisions.TEXT_FIELDS}


def own_drafts(data) -> list[dict]:
    """The editor's own texts kept beside the form (``own_drafts``: JSON); bad input is ignored."""
    try:
        drafts = json.loads(data.get("own_drafts") or "[]")
    except ValueError:
        return []
    if not isinstance(drafts, list):
        return []
    kept = []
    for draft in drafts:
        if isinstance(draft, dict):
            kept.append({name: str(draft.get(name) or "") for name in revisions.TEXT_FIELDS})
    return kept


def _keep(drafts: list[dict], draft: dict, current: dict) -> list[dict]:
    """Add ``draft`` unless it says nothing new (already kept, or the current text itself)."""
    if draft == current or draft in drafts or not any(draft.values()):
        return drafts
    return [*drafts, draft]


def _shown(draft: dict) -> list[dict]:
    """A kept text as the page shows it: each non-blank field, the body as readers would see it."""
    return [
        {"name": name, "label": label, "text": draft[name], "html": render_body(draft[name]) if name == "body" else ""}
        for name, label in revisions.TEXT_FIELDS.items()
        if draft[name].strip()
    ]


class ConflictViews:
    """Mixed into ArticleAdmin (before ArticleWorkflowViews, which gives ``_article``)."""

    def get_urls(self):
        own = [
            path(
                "<path:object_id>/reload/",
                self.admin_site.admin_view(require_POST(self.reload_view)),
                name="articles_article_reload",
            ),
        ]
        return own + super().get_urls()

    # --- a save, told apart from a refusal --------------------------------------

    def response_add(self, request, obj, post_url_continue=None):
        setattr(request, _SAVED, True)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        setattr(request, _SAVED, True)
        return super().response_change(request, obj)

    # --- the refused save --------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if change and obj is not None and form.is_bound and form.has_error(NON_FIELD_ERRORS, "stale"):
            context["conflict"] = self._conflict(obj, form)
        if "own_drafts" not in context and request.method == "POST":
            context["own_drafts"] = own_drafts(request.POST)  # a save after reloading, refused again
        if context.get("own_drafts"):
            context["own_drafts_json"] = json.dumps(context["own_drafts"], ensure_ascii=False)
            context["own_drafts_shown"] = [_shown(draft) for draft in context["own_drafts"]]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _conflict(self, obj, form) -> dict:
        current = Article.objects.select_related("updated_by").get(pk=obj.pk)
        loaded_number = form.cleaned_data.get("loaded_version") or 0
        loaded = revisions.text_at_version(current, loaded_number) if loaded_number else None
        basis = loaded if loaded is not None else own_text(form.data)
        return {
            "found": loaded is not None,
            "loaded_version": loaded_number,
            "current_version": current.version,
            "who": user_name(current.updated_by) if current.updated_by else "系统（导入）",
            "when": date_format(timezone.localtime(current.updated_at), "Y年n月j日 H:i:s"),
            "diff": revisions.compare_texts(basis, revisions.text_of(current)),
            "reload_url": reverse("admin:articles_article_reload", args=[current.pk]),
        }

    def reload_view(self, request, object_id):
        """The change page with the current text and version, the editor's own
        text (this form's, and any kept before) beside it."""
        article = self._article(request, object_id)
        current = revisions.text_of(article)
        drafts = _keep(own_drafts(request.POST), own_text(request.POST), current)
        messages.info(
            request,
            f"已载入最新内容（第 {article.version} 版）。你的文字保留在“我的文字”里，"
            "合并好后再保存；保存之前它一直在这一页上。",
        )
        page = copy.copy(request)
        page.method = "GET"  # the change page as it opens, not this form's POST
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        return self.change_view(page, object_id, change_url, {"own_drafts": drafts})
