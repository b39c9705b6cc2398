import reversion
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles import dashboard, review_rules, services
from articles.models import Article, Transition
from articles.people import user_name
from articles.richtext import clean_body_reporting, render_body
from images.renditions import picture_html

from .article_views import ArticleWorkflowViews
from .bad_input import CheckedInput
from .conflicts import ConflictViews, was_saved
from .display import yes_no_icon
from .inlines import (
    ArticleCreditInline,
    BylineInline,
    CorrectionInline,
    TransitionInline,
    note_changes,
    ordered_parts,
)

Action = Transition.Action


class ArticleAdminForm(forms.ModelForm):
    # The version the editor loaded; saving claims the next one or is refused (no lost edits).
    loaded_version = forms.IntegerField(label=_("载入时的版本"), widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        # The order inside a series is set on the series page, not here.
        fields = [
            "kicker",
            "title",
            "subtitle",
            "summary",
            "series",
            "cover",
            "body",
            "source",
            "print_page",
            "print_date",
            "is_lead",
            "expire_at",
            "slug",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Inside the admin's transaction: rolled back if anything else on the page is invalid.
            services.claim_edit(article=self.instance, version=cleaned.get("loaded_version") or 0)
        return cleaned


class WorkQueueFilter(admin.SimpleListFilter):
    title = _("我的工作")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        # The 待办 lists of the admin index (articles/dashboard.py), whose "查看全部" links here.
        return [("mine", _("我的文章")), *dashboard.queue_choices()]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(created_by=request.user)
        if self.value() in dashboard.SPECS:
            condition = dashboard.queue_filter(self.value(), request.user)
            return queryset.none() if condition is None else queryset.filter(condition)
        return queryset


class StateFilter(admin.SimpleListFilter):
    """状态 as Article.state reads it: the statuses, with 已发布 split into
    已发布 (live now), 已排期 and 已下线 (ArticleQuerySet.in_state)."""

    title = _("状态")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        published = Article.Status.PUBLISHED
        states = []
        for value, label in Article.Status.choices:
            states.append((value, label))
            if value == published:
                states += [("scheduled", _("已排期")), ("expired", _("已下线"))]
        return states

    def queryset(self, request, queryset):
        if self.value() in {value for value, _label in self.lookup_choices}:
            return queryset.in_state(self.value())
        return queryset


@admin.register(Article)
class ArticleAdmin(CheckedInput, ConflictViews, ArticleWorkflowViews, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "series",
        "status_badge",
        "authors",
        "word_count",
        "publish_time",
        "update_time",
        "updated_by_name",
    ]
    list_filter = [
        WorkQueueFilter,
        StateFilter,
        "is_lead",
        "series",
        ("bylines__contributor", admin.RelatedOnlyFieldListFilter),
        "publish_at",
    ]
    list_select_related = ["series", "updated_by"]
    search_fields = ["title", "subtitle", "body", "bylines__contributor__name"]
    date_hierarchy = "publish_at"
    autocomplete_fields = ["series", "cover"]
    inlines = [BylineInline, ArticleCreditInline, CorrectionInline, TransitionInline]
    actions = ["submit_selected", "pass_first_selected", "pass_second_selected", "publish_selected"]
    RECORD_FIELDS = [
        "created_by_name",
        "created_at",
        "updated_by_name",
        "updated_at",
        "version",
        "source_document",
        "source_line",
    ]

    class Media:
        # status badge colours, the 三审 panel; the refused save's panel and the local autosave (不丢稿)
        css = {"all": ["articles/admin.css", "articles/nothing-lost.css"]}
        js = ["articles/autosave.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_bylines()

    def get_inlines(self, request, obj):
        if obj is None:  # a new article has no corrections or sign-offs yet
            return [BylineInline, ArticleCreditInline]
        return self.inlines

    def get_fieldsets(self, request, obj=None):
        lead = "is_lead"
        if obj is None or self.has_change_permission(request, obj):
            content = ["kicker", "title", "subtitle", "summary", "series", ("cover", "cover_preview"), "body"]
            content.append("loaded_version")
        else:  # read-only: the cleaned body as readers will see it, never the editor's raw HTML
            content = ["kicker", "title", "subtitle", "summary", "series", "cover_preview", "body_as_published"]
            lead = "lead_display"  # Django's read-only ✓/✗ reads "True"/"False" (display.py)
        publishing = ["display_status", lead, "publish_at", "first_published_at", "expire_at", "slug"]
        return [
            (None, {"fields": content}),
            (_("见报"), {"fields": ["source", ("print_date", "print_page"), "word_count"]}),
            (_("发布"), {"fields": publishing}),
            (_("记录"), {"classes": ["collapse"], "fields": self.RECORD_FIELDS}),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = ["display_status", "cover_preview", "body_as_published", "publish_at", "first_published_at"]
        fields.append("word_count")  # counted on save (articles/wordcount.py); live under the editor
        fields += self.RECORD_FIELDS
        if obj is not None and obj.first_published_at:
            fields.append("slug")  # stable once published: old links keep working
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return review_rules.can_edit(request.user, obj)

    def save_model(self, request, obj, form, change):
        cleaning = clean_body_reporting(obj.body)
        services.article_save(article=obj, by=request.user, claimed=change)
        if cleaning.changed:
            self.message_user(
                request,
                _("正文里有不允许的内容，保存时已去掉：%(what)s。图片请用编辑器的“图像”按钮上传到图片库。")
                % {"what": cleaning.summary()},
                messages.WARNING,
            )

    def save_formset(self, request, form, formset, change):
        """Bylines and credits are written by the service, in the revision the
        change form records (its version was claimed when the form was checked)."""
        kinds = {BylineInline.model: "bylines", ArticleCreditInline.model: "credits"}
        kind = kinds.get(formset.model) if formset.fk.name == "article" else None
        if kind is None:
            return super().save_formset(request, form, formset, change)
        services.article_set_people(
            article=form.instance, by=request.user, claimed=True, **{kind: ordered_parts(formset)}
        )
        note_changes(formset)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic():
            # One revision per save, taken after the inlines (bylines, credits) are saved too.
            with reversion.create_revision():
                reversion.set_user(request.user)
                response = super().changeform_view(request, object_id, form_url, extra_context)
            if not was_saved(request):
                # The form was refused: write nothing, not even its claim on the next version.
                # (Not the status code: a saved pop-up add answers 200.)
                transaction.set_rollback(True)
        return response

    # --- changelist ---------------------------------------------------------------

    @admin.display(description=_("发布时间"), ordering="publish_at")
    def publish_time(self, article):
        return _short_time(article.publish_at)

    @admin.display(description=_("修改时间"), ordering="updated_at")
    def update_time(self, article):
        return _short_time(article.updated_at)

    @admin.display(description=_("状态"), ordering="status")
    def status_badge(self, article):
        return format_html(
            '<span class="status-badge" data-state="{}">{}</span>', article.state, article.display_status
        )

    @admin.display(description=_("状态"))
    def display_status(self, article):
        return article.display_status

    @admin.display(description=_("头图预览"))
    def cover_preview(self, article):
        if article.cover is None:
            return "—"
        return format_html(
            '<figure class="cover-preview">{}<figcaption>{}</figcaption></figure>',
            picture_html(article.cover, sizes="240px"),
            " ".join(filter(None, [article.cover.caption, article.cover.credit_line])),
        )

    @admin.display(description=_("正文"))
    def body_as_published(self, article):
        return format_html('<div class="article-body">{}</div>', render_body(article.body))

    @admin.display(description=_("作者"))
    def authors(self, article):
        return " ".join(str(byline) for byline in article.bylines.all())

    @admin.display(description=Article._meta.get_field("is_lead").verbose_name)
    def lead_display(self, article):
        return yes_no_icon(article.is_lead)

    @admin.display(description=_("创建人"), ordering="created_by")
    def created_by_name(self, article):
        return user_name(article.created_by) if article.created_by else self.get_empty_value_display()

    @admin.display(description=_("最后修改人"), ordering="updated_by")
    def updated_by_name(self, article):
        return user_name(article.updated_by) if article.updated_by else self.get_empty_value_display()

    # --- bulk actions: each article through the same service, refusals reported ---

    @admin.action(description=_("提交审稿"), permissions=["submit"])
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, Action.SUBMIT)

    @admin.action(description=_("初审通过"), permissions=["review_first"])
    def pass_first_selected(self, request, queryset):
        self._bulk(request, queryset, Action.PASS_FIRST)

    @admin.action(description=_("复审通过"), permissions=["review_second"])
    def pass_second_selected(self, request, queryset):
        self._bulk(request, queryset, Action.PASS_SECOND)

    @admin.action(description=_("终审签发（立即发布）"), permissions=["review_final"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, Action.PUBLISH)

    def has_submit_permission(self, request):
        return request.user.has_perm("articles.submit_article")

    def has_review_first_permission(self, request):
        return request.user.has_perm("articles.review_first")

    def has_review_second_permission(self, request):
        return request.user.has_perm("articles.review_second")

    def has_review_final_permission(self, request):
        return request.user.has_perm("articles.review_final")

    def _bulk(self, request, queryset, action: Action):
        done, refused = 0, []
        for article in queryset:
            try:
                services.article_transition(article=article, by=request.user, action=action)
            except (PermissionDenied, ValidationError) as error:
                refused.append("；".join(getattr(error, "messages", None) or [str(error)]))
            else:
                done += 1
        if done:
            self.message_user(request, f"{action.label}：{done} 篇。", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)


def _short_time(value) -> str:
    """A change list time, Beijing time, as 2026-11-29 08:00: narrower than
    the admin's 2026年11月29日 08:00, and it breaks only between day and time."""
    return date_format(timezone.localtime(value), "Y-m-d H:i") if value else "—"
