from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Article, Byline, Contributor, Credit, Series
from .services import article_publish


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["contributor"]
    fields = ["position", "role", "contributor"]
    ordering = ["position", "id"]


class ArticleCreditInline(admin.TabularInline):
    model = Credit
    fk_name = "article"
    exclude = ["series"]
    extra = 0
    autocomplete_fields = ["contributor"]
    fields = ["position", "role", "contributor"]
    ordering = ["position", "id"]
    verbose_name = _("制作人员")


class SeriesCreditInline(ArticleCreditInline):
    fk_name = "series"
    exclude = ["article"]


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


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "article_count", "updated_at"]
    search_fields = ["name", "intro"]
    inlines = [SeriesCreditInline, SeriesArticleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description=_("文章数"), ordering="article_count")
    def article_count(self, series):
        return series.article_count


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug", "byline_count", "credit_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    ordering = ["slug"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(byline_count=Count("bylines", distinct=True), credit_count=Count("credits", distinct=True))
        )

    @admin.display(description=_("署名次数"), ordering="byline_count")
    def byline_count(self, contributor):
        return contributor.byline_count

    @admin.display(description=_("制作人员次数"), ordering="credit_count")
    def credit_count(self, contributor):
        return contributor.credit_count


STATUS_COLOURS = {
    Article.Status.DRAFT: "#6b6b70",
    Article.Status.FIRST_REVIEW: "#9a6700",
    Article.Status.SECOND_REVIEW: "#9a6700",
    Article.Status.FINAL_REVIEW: "#9a6700",
    Article.Status.PUBLISHED: "#1a7f37",
    Article.Status.WITHDRAWN: "#b3261e",
}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "series", "status_badge", "authors", "publish_at", "updated_at"]
    list_filter = ["status", "series", "publish_at"]
    list_select_related = ["series"]
    search_fields = ["title", "subtitle", "body", "bylines__contributor__name"]
    date_hierarchy = "publish_at"
    autocomplete_fields = ["series"]
    readonly_fields = ["source_document", "source_line", "created_at", "updated_at"]
    inlines = [BylineInline, ArticleCreditInline]
    actions = ["publish_now"]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "series", "series_position", "body"]}),
        (_("发布"), {"fields": ["status", "publish_at", "expire_at", "slug"]}),
        (
            _("来源"),
            {"classes": ["collapse"], "fields": ["source_document", "source_line", "created_at", "updated_at"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_bylines()

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status in Article.PUBLIC_ONCE_STATUSES:
            fields.append("slug")  # stable once published: old links keep working
        return fields

    @admin.display(description=_("状态"), ordering="status")
    def status_badge(self, article):
        return format_html(
            '<span class="status-badge" style="color:#fff;background:{};padding:1px 8px;border-radius:8px">{}</span>',
            STATUS_COLOURS[article.status],
            article.get_status_display(),
        )

    @admin.display(description=_("作者"))
    def authors(self, article):
        return " ".join(str(byline) for byline in article.bylines.all())

    @admin.action(description=_("立即发布所选文章"), permissions=["change"])
    def publish_now(self, request, queryset):
        published = 0
        for article in queryset:
            try:
                article_publish(article=article)
            except ValidationError as error:
                self.message_user(request, f"《{article}》没有发布：{'；'.join(error.messages)}", messages.ERROR)
            else:
                published += 1
        self.message_user(request, f"已发布 {published} 篇文章。", messages.SUCCESS)
