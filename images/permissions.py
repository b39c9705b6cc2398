"""Who may do what with pictures: one place, read by the views, the admin and
the upload service."""


def may_edit_articles(user) -> bool:
    return bool(user.is_active and user.is_staff and user.has_perm("articles.change_article"))


def can_upload(user) -> bool:
    """Staff who may edit articles and add pictures (记者, 编辑, superusers)."""
    return may_edit_articles(user) and user.has_perm("images.add_image")


def can_browse(user) -> bool:
    """The editor's picture library dialog: staff who may edit articles."""
    return may_edit_articles(user) and user.has_perm("images.view_image")
