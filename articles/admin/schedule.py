"""定时发布 and 下线时间: one date-time widget, in Beijing time.

Both are typed in Django's admin date-time widget (``AdminSplitDateTime``: a
date box with 今天 and a calendar, a time box with 现在 and a clock), whose
words come from the admin's Chinese JavaScript catalog whatever the browser's
language, and both are read in ``TIME_ZONE`` (Asia/Shanghai). 下线时间 gets
it as the admin's widget for any ``DateTimeField``; the 三审 panel's 定时发布
is ``ScheduleForm``, posted to the workflow view and read by ``publish_at_from``.
"""

from datetime import datetime

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models.articles import check_publishing_time

FIELD = "publish_at"


class ScheduleForm(forms.Form):
    publish_at = forms.SplitDateTimeField(
        label=gettext_lazy("定时发布"),
        required=False,
        widget=AdminSplitDateTime,
        help_text=gettext_lazy("北京时间；留空则立即发布"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_schedule_%s")  # apart from the article form's fields
        super().__init__(*args, **kwargs)


def publish_at_from(data) -> datetime | None:
    """定时发布 from the posted data, in Beijing time; None (blank) means now.

    The panel's widget sends a date and a time (``publish_at_0``,
    ``publish_at_1``); a script may send one value (``publish_at``,
    ``2026-12-01T08:00`` or ``2026-12-01 08:00``). A date or time that does not
    exist (2026-13-01, 2026-02-30, 25:00), or a year outside PUBLISHING_YEARS,
    is a ValidationError in Chinese.
    """
    parts = [data.get(f"{FIELD}_{i}", "").strip() for i in (0, 1)]
    if any(parts):
        field, value, shown = ScheduleForm.base_fields[FIELD], parts, " ".join(filter(None, parts))
    else:
        value = data.get(FIELD, "").strip()
        field, shown = forms.DateTimeField(required=False), value
    try:
        at = field.clean(value)
    except ValidationError:
        raise ValidationError(
            _("看不懂发布时间“%(value)s”：请填写存在的日期和时间（北京时间），例如 2026-12-01 08:00。")
            % {"value": shown},
            code="invalid_schedule",
        ) from None
    check_publishing_time(at)  # 2000 to 2100: not 0001, not 9999
    return at
