"""Who may do what with the word lists, by the newsroom's roles (articles/roles.py).

Editors (编辑) and the editor-in-chief (总编辑) maintain the lists; everyone
may read them. Only the editor-in-chief may sign off an article with a 禁用
word, with a written reason (``override_sensitive``).

Granted once by this app's data migration (0002_roles, a frozen copy of this
table) to the role groups that exist; afterwards an administrator may change
them in the admin. ``grant_proofing_permissions`` does the same for groups
made later (the test factories call it after ``ensure_roles``).
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

from articles.roles import DESK_HEAD, EDITOR, EDITOR_IN_CHIEF, REPORTER

_VIEW = ["view_sensitiveword", "view_commonmistake"]
_MAINTAIN = _VIEW + [
    "add_sensitiveword",
    "change_sensitiveword",
    "delete_sensitiveword",
    "add_commonmistake",
    "change_commonmistake",
    "delete_commonmistake",
]

PROOFING_ROLES = {
    REPORTER: _VIEW,
    EDITOR: _MAINTAIN,
    DESK_HEAD: _VIEW,
    EDITOR_IN_CHIEF: _MAINTAIN + ["override_sensitive"],
}


def grant_proofing_permissions(apps=global_apps) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    create_permissions(apps.get_app_config("proofing"), apps=apps, verbosity=0)
    for group in Group.objects.filter(name__in=PROOFING_ROLES):
        codenames = PROOFING_ROLES[group.name]
        group.permissions.add(*Permission.objects.filter(content_type__app_label="proofing", codename__in=codenames))
