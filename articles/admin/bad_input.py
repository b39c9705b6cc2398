"""Crafted admin input that Django itself would turn into a 500: a message instead.

Two places where the admin puts a submitted value straight into a query:

- a bulk action's selection (``_selected_action``): Django filters
  ``pk__in`` with the ids as they come, so ``abc`` (or a number beyond the
  column) fails in the query;
- an autocomplete box (``autocomplete_fields``) shown again on a refused
  form: the widget looks the submitted value up to show its label, so `` ``
  or ``abc`` fails there, while the form itself would just say "invalid choice".

Every admin and inline of the project that has actions or autocomplete boxes
mixes ``CheckedInput`` in before Django's class (docs/security.md, "Bad input").
"""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError

INVALID_SELECTION = "所选的条目无效（“%(value)s”不是这张列表里的条目），没有执行任何操作。请在列表里勾选后重试。"


def is_key(field, value) -> bool:
    """Whether ``value`` could be a value of ``field`` (an id: a number in the column's range)."""
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


class CheckedAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        to_field = remote.model._meta.get_field(remote.field_name)
        return super().optgroups(name, [v for v in value if is_key(to_field, v)], attr)


class CheckedInput:
    def response_action(self, request, queryset):
        pk = self.model._meta.pk
        for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
            if not is_key(pk, value):
                self.message_user(request, INVALID_SELECTION % {"value": value[:40]}, messages.ERROR)
                return None  # the change list redirects back to itself
        return super().response_action(request, queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
