"""What the admin shows for a yes/no value, in Chinese.

Django's ✓/✗ icon (``admin_list._boolean_icon``, used for boolean columns and
read-only boolean fields) carries ``alt="True"`` / ``alt="False"`` in English,
outside any translation catalog; screen readers read it out. Columns and
read-only views that show a yes/no use this instead.
"""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _


def yes_no_icon(value: bool):
    """Django's ✓/✗ icon with 是/否 as its text."""
    return format_html(
        '<img src="{}" alt="{}">',
        static(f"admin/img/icon-{'yes' if value else 'no'}.svg"),
        _("是") if value else _("否"),
    )
