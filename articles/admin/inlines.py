from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Byline, Correction, Credit, Transition
from articles.people import user_name
from articles.review_rules import can_edit

from .bad_input import CheckedInput


class ArticlePartInline(CheckedInput, admin.TabularInline):
    """Bylines and credits follow the article: editable exactly when the article is."""

    extra = 0
    autocomplete_fields = ["contributor"]
    fields = ["position", "role", "contributor"]
    ordering = ["position", "id"]

    def _article_editable(self, request, obj):
        return obj is None or can_edit(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._article_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._article_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._article_editable(request, obj)


def ordered_parts(formset) -> list[tuple]:
    """What a validated byline or credit formset asks for, in its order
    (顺序, then the order on the page): (contributor, role) pairs for a
    service to write (articles/services/people.py). Read from each form's
    instance, which validation filled (a view-only row keeps what it has);
    rows marked for deletion and blank extra rows are left out, rows the
    page did not send are kept as they are (as ``formset.save()`` would)."""
    deleted = formset.deleted_forms if formset.can_delete else []
    sent = {form.instance.pk for form in formset.initial_forms}
    rows = [row for row in formset.get_queryset() if row.pk not in sent]
    rows += [
        form.instance for form in formset.forms if form.instance.contributor_id is not None and form not in deleted
    ]
    ordered = sorted(enumerate(rows), key=lambda pair: (pair[1].position or 0, pair[0]))
    return [(row.contributor, row.role) for _index, row in ordered]


def note_changes(formset) -> None:
    """What the admin's history entry reads (``construct_change_message``)
    after a service, not ``formset.save()``, wrote the rows."""
    deleted = formset.deleted_forms if formset.can_delete else []
    formset.new_objects = [f.instance for f in formset.extra_forms if f.has_changed() and f not in deleted]
    formset.changed_objects = [
        (f.instance, f.changed_data) for f in formset.initial_forms if f.has_changed() and f not in deleted
    ]
    formset.deleted_objects = [f.instance for f in formset.initial_forms if f in deleted]


class BylineInline(ArticlePartInline):
    model = Byline


class ArticleCreditInline(ArticlePartInline):
    model = Credit
    fk_name = "article"
    verbose_name = _("制作人员")
    # Set both: with only verbose_name, Django glues an English "s" on (制作人员s).
    verbose_name_plural = _("制作人员")


class SeriesCreditInline(CheckedInput, admin.TabularInline):
    model = Credit
    fk_name = "series"
    extra = 0
    autocomplete_fields = ["contributor"]
    fields = ["position", "role", "contributor"]
    ordering = ["position", "id"]


class SeriesArticleInline(admin.TabularInline):
    """The series' articles in the order readers see them; editors set that order here."""

    model = Article
    fields = ["series_position", "title", "status", "publish_at"]
    readonly_fields = ["title", "status", "publish_at"]
    ordering = ["series_position", "publish_at", "id"]
    extra = 0
    show_change_link = True
    can_delete = False
    verbose_name = _("文章")
    verbose_name_plural = _("文章（按专题内顺序）")

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """A record shown on the article page; written only through the services."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article")


class TransitionInline(ReadOnlyInline):
    model = Transition
    fields = ["created_at", "action", "from_status", "to_status", "who", "comment", "publish_at"]
    readonly_fields = fields
    verbose_name_plural = _("签发记录（三审）")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("操作人"))
    def who(self, transition):
        return user_name(transition.actor) if transition.actor else _("系统")


class CorrectionInline(ReadOnlyInline):
    model = Correction
    fields = ["created_at", "text", "who"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    @admin.display(description=_("更正人"))
    def who(self, correction):
        return user_name(correction.created_by) if correction.created_by else _("系统")
