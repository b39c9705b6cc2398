"""Writes with side effects. The admin, the commands and the views call
these; none of them changes an article's state any other way."""

from .editing import (
    StaleEdit,
    article_save,
    claim_edit,
    new_page,
    presence_context,
    presence_report,
    present_colleagues,
    record_open,
)
from .people import article_set_people, contributor_for_name, contributor_save, series_reorder, series_set_credits
from .previews import preview_link_create, preview_link_revoke
from .restore import article_restore
from .review import (
    article_add_correction,
    article_import,
    article_publish,
    article_return,
    article_submit,
    article_transition,
    article_withdraw,
)
from .transitions import record_transition

__all__ = [
    "StaleEdit",
    "article_add_correction",
    "article_import",
    "article_publish",
    "article_restore",
    "article_return",
    "article_save",
    "article_set_people",
    "article_submit",
    "article_transition",
    "article_withdraw",
    "claim_edit",
    "contributor_for_name",
    "contributor_save",
    "preview_link_create",
    "preview_link_revoke",
    "new_page",
    "present_colleagues",
    "presence_context",
    "presence_report",
    "record_open",
    "record_transition",
    "series_reorder",
    "series_set_credits",
]
