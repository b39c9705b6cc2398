from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from articles import services
from articles.models import Article, Credit, Series

from .bad_input import CheckedInput
from .inlines import SeriesArticleInline, SeriesCreditInline, note_changes, ordered_parts


@admin.register(Series)
class SeriesAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["name", "parent", "slug", "article_count", "updated_at"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "intro"]
    # Stated here as well as on the model: get_queryset counts articles (a
    # GROUP BY, which drops Meta.ordering), and the autocomplete pages need an order.
    ordering = ["slug"]
    autocomplete_fields = ["parent", "cover"]
    inlines = [SeriesCreditInline, SeriesArticleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    def save_formset(self, request, form, formset, change):
        """The inlines' rows are written by the services: the order of the
        articles (each a new version and revision) and the series' credits."""
        series = form.instance
        if formset.model is Article:
            positions = {f.instance.pk: f.cleaned_data["series_position"] for f in formset.forms if f.has_changed()}
            services.series_reorder(series=series, positions=positions, by=request.user)
        elif formset.model is Credit:
            services.series_set_credits(series=series, credits=ordered_parts(formset))
        else:
            return super().save_formset(request, form, formset, change)
        note_changes(formset)

    @admin.display(description=_("文章数"), ordering="article_count")
    def article_count(self, series):
        return series.article_count
