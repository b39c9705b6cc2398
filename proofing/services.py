"""Checking articles against the newsroom's lists, and the 终审 rule.

The matcher (proofing/matching.py) is built once per process and kept until
the lists change. A change is seen in two ways: saving or deleting an entry
here drops this process's matcher at once (proofing/signals.py, and the bulk
loader in proofing/lists.py), and every check compares a stamp of the lists
in the database (count and latest ``updated_at`` of each) with the stamp the
matcher was built from, so other processes rebuild on their next check.
The stamp costs two indexed aggregate queries.
"""

import threading

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.text import html_to_text

from .matching import BLOCK, MISTAKE, SENSITIVE, WARN, Entry, Field, Matcher, Report
from .models import CommonMistake, SensitiveWord

OVERRIDE_PERMISSION = "proofing.override_sensitive"
# What is checked, in the order the panel lists hits (the article's own fields, then the rest).
FIELD_LABELS = {
    "kicker": gettext_lazy("引题"),
    "title": gettext_lazy("标题"),
    "subtitle": gettext_lazy("副题"),
    "summary": gettext_lazy("摘要"),
    "body": gettext_lazy("正文"),
    "cover_caption": gettext_lazy("头图说明"),
    "names": gettext_lazy("署名和制作人员"),
}
MISTAKE_CATEGORY = "错别字"

_lock = threading.Lock()
_cached: tuple[tuple, Matcher] | None = None


def list_stamp() -> tuple:
    """What changes whenever an entry is added, changed or deleted."""
    words = SensitiveWord.objects.order_by().aggregate(count=Count("pk"), last=Max("updated_at"))
    mistakes = CommonMistake.objects.order_by().aggregate(count=Count("pk"), last=Max("updated_at"))
    return (words["count"], words["last"], mistakes["count"], mistakes["last"])


def list_entries() -> list[Entry]:
    categories = dict(SensitiveWord.Category.choices)
    entries = [
        Entry(word, SENSITIVE, BLOCK if level == BLOCK else WARN, str(categories.get(category, category)), *rest)
        for word, level, category, *rest in SensitiveWord.objects.order_by().values_list(
            "word", "level", "category", "suggestion", "note"
        )
    ]
    entries += [
        Entry(wrong, MISTAKE, WARN, MISTAKE_CATEGORY, right, note)
        for wrong, right, note in CommonMistake.objects.order_by().values_list("wrong", "right", "note")
    ]
    return entries


def current_matcher() -> Matcher:
    """The matcher for the lists as they are now: cached, rebuilt after a change."""
    global _cached
    # The stamp is read before the entries: a matcher is never older than its stamp.
    stamp = list_stamp()
    with _lock:
        if _cached is not None and _cached[0] == stamp:
            return _cached[1]
        matcher = Matcher(list_entries())
        _cached = (stamp, matcher)
        return matcher


def forget_matcher() -> None:
    """Drop this process's matcher (the lists changed)."""
    global _cached
    with _lock:
        _cached = None


def article_fields(
    *,
    kicker: str = "",
    title: str = "",
    subtitle: str = "",
    summary: str = "",
    body: str = "",
    cover_caption: str = "",
    names=(),
) -> list[Field]:
    """The checked texts: the body (with its picture captions) as plain text
    (articles.text.html_to_text), the names joined with 、."""
    texts = {
        "kicker": kicker,
        "title": title,
        "subtitle": subtitle,
        "summary": summary,
        "body": html_to_text(body),
        "cover_caption": cover_caption,
        "names": "、".join(dict.fromkeys(name for name in names if name)),
    }
    return [Field(name, str(label), texts[name]) for name, label in FIELD_LABELS.items()]


def check_texts(**texts) -> Report:
    """Hits in texts an editor is writing (the live check): ``article_fields``' arguments."""
    return current_matcher().check(article_fields(**texts))


def check_article(article) -> Report:
    """Every hit in the article as stored: its fields, body captions, cover
    caption and the names of its bylines, credits and cover picture."""
    names = [byline.contributor.name for byline in article.bylines.select_related("contributor")]
    names += [credit.contributor.name for credit in article.credits.select_related("contributor")]
    cover = article.cover
    if cover is not None and cover.credit is not None:
        names.append(cover.credit.name)
    return check_texts(
        kicker=article.kicker,
        title=article.title,
        subtitle=article.subtitle,
        summary=article.summary,
        body=article.body,
        cover_caption=cover.caption if cover is not None else "",
        names=names,
    )


def can_override(user) -> bool:
    return user is not None and user.has_perm(OVERRIDE_PERMISSION)


def check_sign_off(*, article, by, override_reason: str = "") -> str:
    """The 禁用 rule of 终审签发, for ``articles.services.article_transition``.

    Returns ``""`` when no 禁用 word is in the article, or the note for the
    sign-off record when ``by`` may override and gave a reason. Otherwise
    raises ValidationError (no reason) or PermissionDenied (a reason, but no
    right to override), naming the words.
    """
    report = check_article(article)
    if not report.blocking:
        return ""
    words = "、".join(f"“{word}”" for word in report.blocking_words)
    names = {"title": article.title, "words": words}
    reason = override_reason.strip()
    if not reason:
        if by is None or can_override(by):
            raise ValidationError(
                _("《%(title)s》含禁用词%(words)s，不能终审签发：请修改文字，或写明放行理由后再签发。") % names
            )
        raise ValidationError(_("《%(title)s》含禁用词%(words)s，不能终审签发：请修改文字后再签发。") % names)
    if by is not None and not can_override(by):
        raise PermissionDenied(_("《%(title)s》含禁用词%(words)s：只有总编辑可以写明理由放行。") % names)
    return _("敏感词放行：%(reason)s（禁用词：%(words)s）") % {"reason": reason, "words": words}


def panel_context(*, article, user) -> dict:
    """What the article page's 敏感词 panel and the 三审 panel's sign-off form need."""
    report = check_article(article)
    return {"proofing_report": report, "proofing_can_override": bool(report.blocking) and can_override(user)}
