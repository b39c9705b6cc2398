import reversion
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles import services, workflow
from articles.models import Article, Transition
from articles.richtext import clean_body_reporting, render_body
from images.renditions import picture_html

from .article_views import ArticleWorkflowViews
from .inlines import ArticleCreditInline, BylineInline, CorrectionInline, TransitionInline

Action = Transition.Action


class ArticleAdminForm(forms.ModelForm):
    # The version the editor loaded; saving claims the next one or is refused (no lost edits).
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

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
        return [("mine", _("我的文章")), ("review", _("待我审"))]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(created_by=request.user)
        if self.value() == "review":
            return queryset.filter(status__in=workflow.review_statuses(request.user))
        return queryset


@admin.register(Article)
class ArticleAdmin(ArticleWorkflowViews, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "series", "status_badge", "authors", "publish_at", "updated_at", "updated_by"]
    list_filter = [
        WorkQueueFilter,
        "status",
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
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
        "version",
        "source_document",
        "source_line",
    ]

    class Media:
        css = {"all": ["articles/admin.css"]}  # status badge colours, the 三审 panel

    def get_queryset(self, request):
        return super().get_queryset(request).with_bylines()

    def get_inlines(self, request, obj):
        if obj is None:  # a new article has no corrections or sign-offs yet
            return [BylineInline, ArticleCreditInline]
        return self.inlines

    def get_fieldsets(self, request, obj=None):
        if obj is None or self.has_change_permission(request, obj):
            content = ["kicker", "title", "subtitle", "summary", "series", ("cover", "cover_preview"), "body"]
            content.append("loaded_version")
        else:  # read-only: the cleaned body as readers will see it, never the editor's raw HTML
            content = ["kicker", "title", "subtitle", "summary", "series", "cover_preview", "body_as_published"]
        publishing = ["display_status", "is_lead", "publish_at", "first_published_at", "expire_at", "slug"]
        return [
            (None, {"fields": content}),
            (_("见报"), {"fields": ["source", ("print_date", "print_page")]}),
            (_("发布"), {"fields": publishing}),
            (_("记录"), {"classes": ["collapse"], "fields": self.RECORD_FIELDS}),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = ["display_status", "cover_preview", "body_as_published", "publish_at", "first_published_at"]
        fields += self.RECORD_FIELDS
        if obj is not None and obj.first_published_at:
            fields.append("slug")  # stable once published: old links keep working
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return workflow.can_edit(request.user, obj)

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

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic():
            # One revision per save, taken after the inlines (bylines, credits) are saved too.
            with reversion.create_revision():
                reversion.set_user(request.user)
                response = super().changeform_view(request, object_id, form_url, extra_context)
            if response.status_code != 302:
                # The form was refused: write nothing, not even its claim on the next version.
                transaction.set_rollback(True)
        return response

    # --- changelist ---------------------------------------------------------------

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
