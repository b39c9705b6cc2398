"""Who is named (bylines, credits, contributors) and where an article stands in
its series: the admin's inlines, the series page and the seed loader write
these rows here, never themselves."""

from collections.abc import Iterable, Mapping

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from articles.models import Article, Byline, Contributor, Credit, Series
from articles.review_rules import can_edit

from .editing import store_article

# One named person in order: (contributor, role). Their position is their place in the list.
Part = tuple[Contributor, str]


# What only those who may change contributors (editors) write: a bio is published
# text, and the account link is what 三审分离 reads. Reporters add names for their bylines.
EDITOR_FIELDS = ("bio", "user")


def _editor_fields_changed(contributor: Contributor) -> bool:
    attnames = [Contributor._meta.get_field(name).attname for name in EDITOR_FIELDS]
    stored = Contributor.objects.filter(pk=contributor.pk).values(*attnames).first() if contributor.pk else None
    if stored is None:  # a new contributor: the fields start empty
        stored = {
            attname: Contributor._meta.get_field(name).get_default()
            for name, attname in zip(EDITOR_FIELDS, attnames, strict=True)
        }
    return any(getattr(contributor, attname) != stored[attname] for attname in attnames)


def contributor_save(*, contributor: Contributor, by) -> Contributor:
    """Create or change a contributor, if ``by`` may: adding needs
    ``add_contributor``, changing ``change_contributor``, and so does writing
    a bio or linking an account (EDITOR_FIELDS). Validated, then saved (an
    empty slug becomes the name's pinyin). ``by`` None is the system (the seed loader)."""
    with transaction.atomic():
        if by is not None:
            may_change = by.has_perm("articles.change_contributor")
            if contributor.pk is None and not by.has_perm("articles.add_contributor"):
                raise PermissionDenied(_("你没有权限新建作者/机构。"))
            if contributor.pk is not None and not may_change:
                raise PermissionDenied(_("你没有权限修改作者/机构“%(name)s”。") % {"name": contributor.name})
            if not may_change and _editor_fields_changed(contributor):
                raise PermissionDenied(_("只有编辑可以填写作者/机构的简介和本社账号。"))
        contributor.full_clean()
        contributor.save()
        return contributor


def contributor_for_name(*, name: str) -> Contributor:
    """The contributor called ``name`` (the name is the identity), created
    by the system (validated, kind guessed from the name) if there is none yet."""
    name = name.strip()
    contributor = Contributor.objects.filter(name=name).first()
    if contributor is None:
        contributor = contributor_save(
            contributor=Contributor(name=name, kind=Contributor.kind_for_name(name)), by=None
        )
    return contributor


def _replace(current, model, owner: dict, parts: Iterable[Part]) -> bool:
    """Make the rows ``current`` exactly ``parts`` in order; True if anything
    changed. New rows are added to the revision being recorded, if any."""
    wanted = list(dict.fromkeys((contributor, role) for contributor, role in parts))  # a duplicate is one row
    rows = list(current.select_related("contributor").order_by("position", "id"))
    if [(row.contributor, row.role) for row in rows] == wanted and all(row.position == i for i, row in enumerate(rows)):
        return False
    current.delete()
    created = model.objects.bulk_create(
        model(**owner, contributor=contributor, role=role, position=i) for i, (contributor, role) in enumerate(wanted)
    )
    if reversion.is_active():
        for row in created:
            reversion.add_to_revision(row)
    return True


def article_set_people(
    *,
    article: Article,
    by,
    bylines: Iterable[Part] | None = None,
    credits: Iterable[Part] | None = None,
    claimed: bool = False,
    comment: str = "",
) -> bool:
    """Make the article's bylines and/or credits (None: leave that kind as it
    is) exactly these, in this order. True if anything changed.

    ``by`` None is the system (the seed loader); anyone else needs
    ``can_edit``. Unless ``claimed`` (the caller claims the article's version
    and saves it in the same revision: the admin's change form, the seed
    loader), a change is an edit like any other: the next version is
    claimed, ``updated_by`` set, one revision recorded with the new rows.
    """
    with transaction.atomic():
        if by is not None and article.pk is not None and not can_edit(by, article):
            raise PermissionDenied(_("你没有权限修改《%(title)s》的署名和制作人员。") % {"title": article.title})
        with reversion.create_revision():
            changed = False
            if bylines is not None:
                changed |= _replace(article.bylines.all(), Byline, {"article": article}, bylines)
            if credits is not None:
                changed |= _replace(article.credits.all(), Credit, {"article": article}, credits)
            if changed and not claimed:
                store_article(article, by=by, comment=comment or _("修改署名和制作人员"))
        return changed


def series_set_credits(*, series: Series, credits: Iterable[Part]) -> bool:
    """Make the series' credits exactly ``credits``, in this order. True if anything changed."""
    with transaction.atomic():
        return _replace(Credit.objects.filter(series=series), Credit, {"series": series}, credits)


def series_reorder(*, series: Series, positions: Mapping[int, int], by) -> list[Article]:
    """Set where articles stand in ``series`` (the series page): ``positions``
    maps article ids to their 专题内顺序. Each article whose place changes is
    edited like any other: its next version claimed, ``updated_by`` set, one
    revision each. Returns the articles changed. ``by`` None is the system;
    anyone else needs to be allowed to change the series."""
    with transaction.atomic():
        if by is not None and not by.has_perm("articles.change_series"):
            raise PermissionDenied(_("你没有权限调整“%(name)s”的文章顺序。") % {"name": series.name})
        articles = {a.pk: a for a in Article.objects.select_for_update().filter(series=series, pk__in=list(positions))}
        strangers = sorted(set(positions) - set(articles))
        if strangers:
            raise ValidationError(
                _("这些文章不在“%(name)s”里，不能在这里排序：%(ids)s。")
                % {"name": series.name, "ids": "、".join(map(str, strangers))}
            )
        changed = []
        for pk in sorted(articles):
            article, position = articles[pk], positions[pk]
            if article.series_position == position:
                continue
            comment = _("专题内顺序：%(old)s → %(new)s") % {"old": article.series_position, "new": position}
            article.series_position = position
            store_article(article, by=by, comment=comment)  # claims the next version; one revision
            changed.append(article)
        return changed
