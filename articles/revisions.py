"""Every saved state of an article, kept by django-reversion, and how two compare."""

import reversion
from django.contrib.contenttypes.models import ContentType
from django.utils.formats import date_format
from django.utils.timezone import localtime
from reversion.models import Version

from .diffs import inline_diff
from .models import Article, Byline, Contributor, Credit
from .people import user_name
from .richtext import clean_body
from .text import html_to_review_text

reversion.register(Byline)
reversion.register(Credit)
reversion.register(Article, follow=["bylines", "credits"])


def article_versions(article: Article):
    """The article's revisions, newest first, with who made them."""
    return Version.objects.get_for_object(article).select_related("revision__user")


def version_label(version: Version) -> str:
    revision = version.revision
    who = user_name(revision.user) if revision.user else "系统"
    return f"{date_format(localtime(revision.date_created), 'Y年n月j日 H:i:s')} · {who}"


def compare(old: Version, new: Version) -> dict:
    """Readable differences of the text (引题, 标题, 副题, 摘要, 正文) between two
    revisions; the body's links, pictures and tables are compared too, not only its text."""
    return compare_texts(old.field_dict, new.field_dict)


# The article's text: what the revision pages compare, what a restore brings
# back and what a refused save shows of the other person's changes.
TEXT_FIELDS = {"kicker": "引题", "title": "标题", "subtitle": "副题", "summary": "摘要", "body": "正文"}


def text_of(article: Article) -> dict:
    return {name: getattr(article, name) for name in TEXT_FIELDS}


def compare_texts(old: dict, new: dict) -> dict:
    """``{"fields": [{"name", "label", "diff", "changed"}, …], "changed": bool}``
    from one text (a dict of TEXT_FIELDS) to another; missing fields are blank."""
    fields = []
    for name, label in TEXT_FIELDS.items():
        before, after = old.get(name) or "", new.get(name) or ""
        if name == "body":
            shown = inline_diff(html_to_review_text(clean_body(before)), html_to_review_text(clean_body(after)))
        else:
            shown = inline_diff(before, after)
        fields.append({"name": name, "label": label, "diff": shown, "changed": before != after})
    return {"fields": fields, "changed": any(field["changed"] for field in fields)}


def text_at_version(article: Article, number: int) -> dict | None:
    """The article's text as it was at version ``number`` (Article.version),
    from the revision that saved it; None when no revision holds it (saved
    without one, e.g. before revisions were kept)."""
    for version in Version.objects.get_for_object(article):
        saved = version.field_dict.get("version")
        if saved == number:
            return {name: version.field_dict.get(name) or "" for name in TEXT_FIELDS}
        if saved is not None and saved < number:
            break  # newest first: it is not further back
    return None


PEOPLE = {"bylines": (Byline, "署名"), "credits": (Credit, "制作人员")}


def people_of(article: Article) -> dict:
    """The article's bylines and credits now: ``{"bylines": [Byline…], "credits": [Credit…]}``."""
    return {
        kind: list(getattr(article, kind).select_related("contributor").order_by("position", "id")) for kind in PEOPLE
    }


def people_at(version: Version) -> dict:
    """The bylines and credits a revision recorded with the article, as unsaved
    rows (``{"bylines": […] or None, "credits": […] or None, "missing": [names]}``).
    None: the revision recorded none (an import or an old revision may not
    have), and a restore leaves that kind as it is. Rows whose contributor has
    since been deleted are left out and named in ``missing``."""
    recorded = {kind: [] for kind in PEOPLE}
    for kind, (model, _label) in PEOPLE.items():
        for saved in version.revision.version_set.filter(content_type=ContentType.objects.get_for_model(model)):
            fields = saved.field_dict
            if str(fields.get("article_id")) == version.object_id:
                recorded[kind].append((fields, saved.object_repr))
    ids = {fields["contributor_id"] for rows in recorded.values() for fields, _repr in rows}
    contributors = Contributor.objects.in_bulk(ids)
    people: dict = {"missing": []}
    for kind, (model, _label) in PEOPLE.items():
        if not recorded[kind]:
            people[kind] = None
            continue
        rows = []
        for fields, shown in sorted(recorded[kind], key=lambda row: (row[0]["position"], row[0]["id"])):
            contributor = contributors.get(fields["contributor_id"])
            if contributor is None:
                people["missing"].append(shown)
                continue
            rows.append(model(contributor=contributor, role=fields["role"], position=fields["position"]))
        people[kind] = rows
    return people


def compare_people(current: dict, restored: dict) -> list[dict]:
    """Bylines and credits now and after restoring ``restored`` (people_at),
    one line each, for the restore page."""
    lines = []
    for kind, (_model, label) in PEOPLE.items():
        now = "　".join(str(row) for row in current[kind])
        if restored[kind] is None:
            lines.append({"label": label, "diff": inline_diff(now, now), "kept": True, "changed": False})
            continue
        after = "　".join(str(row) for row in restored[kind])
        lines.append({"label": label, "diff": inline_diff(now, after), "kept": False, "changed": now != after})
    return lines
