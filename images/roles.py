"""What the newsroom's roles (articles/roles.py) may do with the picture library.

Granted once by this app's data migration, to the role groups that exist;
afterwards an administrator may change them in the admin.
``grant_image_permissions`` does the same for groups made later (the test
factories call it after ``ensure_roles``).
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

from articles.roles import DESK_HEAD, EDITOR, EDITOR_IN_CHIEF, REPORTER

IMAGE_ROLES = {
    REPORTER: ["add_image", "change_image", "view_image"],
    EDITOR: ["add_image", "change_image", "view_image"],
    DESK_HEAD: ["view_image"],
    EDITOR_IN_CHIEF: ["view_image"],
}


def grant_image_permissions(apps=global_apps) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    create_permissions(apps.get_app_config("images"), apps=apps, verbosity=0)
    for group in Group.objects.filter(name__in=IMAGE_ROLES):
        codenames = IMAGE_ROLES[group.name]
        group.permissions.add(*Permission.objects.filter(content_type__app_label="images", codename__in=codenames))
