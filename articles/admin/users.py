"""The user and group pages in the newsroom's words.

Django's own ``UserAdmin`` and ``GroupAdmin``, re-registered with:

- colleagues shown by 姓名 (articles/people.py): a 姓名 column on the user list,
  the members of each group on the group list;
- permissions labelled in Chinese: Django names its default permissions in
  English when it creates them ("Can add 文章"), so their labels are made here
  from the codename and the model's translated name ("可以添加文章"); nothing
  stored changes, and the custom permissions keep their (Chinese) names;
- the few words Django's admin writes in English outside its translation
  catalog (the ✓/✗ icons' text, display.py; the password page's warning).

And django-axes' pages (登录限制), with the bulk-selection check of every admin.
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group, User
from django.db.models import Prefetch
from django.db.models.functions import Concat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from articles.people import user_name

from .bad_input import CheckedInput
from .display import yes_no_icon

# Django's default permissions, by the first word of their codename (add_article …).
DEFAULT_PERMISSION_LABELS = {
    "add": _("可以添加"),
    "change": _("可以修改"),
    "delete": _("可以删除"),
    "view": _("可以查看"),
}


def permission_name(permission) -> str:
    """A permission's name in Chinese: 可以添加文章 for Django's "Can add 文章"."""
    action, _sep, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if (
        action in DEFAULT_PERMISSION_LABELS
        and model is not None
        and model_name == model._meta.model_name
        and permission.name.startswith(f"Can {action} ")  # as Django made it, not renamed
    ):
        return f"{DEFAULT_PERMISSION_LABELS[action]}{model._meta.verbose_name}"
    return permission.name


def permission_label(permission) -> str:
    """As in the permission picker: 采编 | 文章 | 可以添加文章."""
    return f"{permission.content_type} | {permission_name(permission)}"


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


class ChinesePermissionLabels:
    """The permission pickers of the user and group pages, labelled by ``permission_label``."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["form_class"] = PermissionChoiceField
            queryset = kwargs.get("queryset", db_field.remote_field.model._default_manager.all())
            kwargs["queryset"] = queryset.select_related("content_type")  # one query for all the labels
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PasswordChangeForm(AdminPasswordChangeForm):
    # Django 5.2 writes this warning in English, outside its translation catalog.
    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("禁用后，这个用户现在的密码将会失效。"),
    )


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class NewsroomUserAdmin(CheckedInput, ChinesePermissionLabels, UserAdmin):
    change_password_form = PasswordChangeForm
    list_display = ["username", "full_name", "roles", "email", "staff_status", "active_status"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and user_name(obj) != obj.get_username():
            # The account's page: the colleague's 姓名 with the login it is about.
            context["subtitle"] = f"{user_name(obj)}（{obj.get_username()}）"
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("姓名"), ordering=Concat("last_name", "first_name"))
    def full_name(self, user):
        return user_name(user)

    @admin.display(description=_("组"))
    def roles(self, user):
        return "、".join(group.name for group in user.groups.all()) or None

    @admin.display(description=_("工作人员状态"), ordering="is_staff")
    def staff_status(self, user):
        return yes_no_icon(user.is_staff)

    @admin.display(description=_("有效"), ordering="is_active")
    def active_status(self, user):
        return yes_no_icon(user.is_active)


@admin.register(Group)
class NewsroomGroupAdmin(CheckedInput, ChinesePermissionLabels, GroupAdmin):
    list_display = ["name", "members"]

    def get_queryset(self, request):
        members = User.objects.order_by("last_name", "first_name", "username")
        return super().get_queryset(request).prefetch_related(Prefetch("user_set", queryset=members))

    @admin.display(description=_("成员"))
    def members(self, group):
        return "、".join(user_name(user) for user in group.user_set.all()) or None


# django-axes' pages (登录限制: who was locked out, and unlocking by deleting the
# attempts), with the same check of a bulk selection as every other admin.
for _model, _admin in [
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_model, type(_admin.__name__, (CheckedInput, _admin), {}))
