"""The contributors' admin: the people and bodies named in bylines and credits."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from articles import services
from articles.models import Contributor
from articles.services.people import EDITOR_FIELDS

from .bad_input import CheckedInput


@admin.register(Contributor)
class ContributorAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["name", "kind", "slug", "byline_count", "credit_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    ordering = ["slug"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(byline_count=Count("bylines", distinct=True), credit_count=Count("credits", distinct=True))
        )

    def get_exclude(self, request, obj=None):
        # Reporters add contributors for their bylines; the bio and the account
        # link are for editors (the rule is the service's: EDITOR_FIELDS).
        if not request.user.has_perm("articles.change_contributor"):
            return [*(super().get_exclude(request, obj) or []), *EDITOR_FIELDS]
        return super().get_exclude(request, obj)

    def save_model(self, request, obj, form, change):
        services.contributor_save(contributor=obj, by=request.user)

    @admin.display(description=_("署名次数"), ordering="byline_count")
    def byline_count(self, contributor):
        return contributor.byline_count

    @admin.display(description=_("制作人员次数"), ordering="credit_count")
    def credit_count(self, contributor):
        return contributor.credit_count
