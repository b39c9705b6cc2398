from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, OuterRef, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from ..models import Article, Byline, Contributor, Credit, Series
from ..models.articles import public_article

# What a byline without a role is listed under.
UNNAMED_ROLE = "作者"


@dataclass
class RoleCount:
    """One item of the role summary: 记者 12 篇, 总策划 1 个专刊."""

    role: str
    count: int
    unit: str


class ContributorDetailView(ListView):
    """A contributor's page: name, kind and bio, what they did (记者 12 篇 ·
    总策划 1 个专刊), the series they are credited on, then their articles
    grouped by role, paginated. Only for contributors with public work
    (``Contributor.objects.with_public_work()``): anyone else is a 404."""

    template_name = "articles/contributor_detail.html"
    context_object_name = "entries"
    paginate_by = 30

    def get_queryset(self):
        self.contributor = get_object_or_404(Contributor.objects.with_public_work(), slug=self.kwargs["slug"])
        self.article_roles = _article_roles(self.contributor)
        return _entries(self.contributor, [role.role for role in self.article_roles])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        series_credits = list(
            Credit.objects.filter(contributor=self.contributor, series__in=Series.objects.with_public_articles())
            .select_related("series", "series__parent")
            .annotate(has_columns=Exists(Series.objects.filter(parent=OuterRef("series"))))
            .order_by("series__name", "position")
        )
        entries = list(context["entries"])
        # Ids of public articles (the statement before): loading them by id
        # needs no second filter, which would lead SQLite to scan every public row.
        ids = [entry["article"] for entry in entries]
        articles = Article.objects.select_related("series__parent").defer("body").in_bulk(ids)
        counts = {role.role: role.count for role in self.article_roles}
        context.update(
            contributor=self.contributor,
            role_summary=[*self.article_roles, *_series_roles(series_credits)],
            series_credits=_by_series(series_credits),
            # On this page: (role, its count, its articles here), in the summary's order.
            role_groups=_grouped(entries, articles, counts),
        )
        return context


def _role_label():
    return Coalesce(NullIf("role", Value("")), Value(UNNAMED_ROLE))


def _their_relations(contributor):
    """Their bylines and article credits on public articles, labelled by role."""
    return [
        model.objects.filter(public_article(), contributor=contributor).annotate(label=_role_label()).order_by()
        for model in (Byline, Credit)
    ]


def _article_roles(contributor) -> list[RoleCount]:
    """How many public articles they signed or were credited on, per role:
    byline roles first, each kind the most frequent first, in one query."""
    bylines, credits = _their_relations(contributor)
    rows = bylines.values("label").annotate(n=Count("article", distinct=True), kind=Value(0))
    rows = rows.union(credits.values("label").annotate(n=Count("article", distinct=True), kind=Value(1)), all=True)
    counts: dict[str, list[int]] = {}
    for row in rows:
        kind_and_count = counts.setdefault(row["label"], [row["kind"], 0])
        kind_and_count[1] += row["n"]
    ordered = sorted(counts.items(), key=lambda item: (item[1][0], -item[1][1], item[0]))
    return [RoleCount(role=label, count=count, unit="篇") for label, (_, count) in ordered]


def _entries(contributor, roles: list[str]):
    """Each (role, public article) of theirs once, grouped by role in the
    summary's order, newest first within a role: a union the paginator counts
    and slices."""
    rank = Case(*(When(label=role, then=Value(i)) for i, role in enumerate(roles)), default=Value(len(roles)))
    parts = [
        relation.annotate(rank=rank, published=F("article__publish_at")).values("rank", "label", "article", "published")
        for relation in _their_relations(contributor)
    ]
    return parts[0].union(parts[1]).order_by("rank", "-published", "-article")


def _series_kind(credit) -> str:
    if credit.series.parent_id:
        return "个栏目"
    return "个专刊" if credit.has_columns else "个专题"


def _series_roles(series_credits) -> list[RoleCount]:
    """总策划 1 个专刊: series credits counted per role and kind of series."""
    seen: dict[tuple[str, str], set[int]] = {}
    for credit in series_credits:
        seen.setdefault((credit.role, _series_kind(credit)), set()).add(credit.series_id)
    return [RoleCount(role=role, count=len(ids), unit=unit) for (role, unit), ids in seen.items()]


def _by_series(series_credits) -> list[tuple[Series, list[str]]]:
    grouped: dict[int, tuple[Series, list[str]]] = {}
    for credit in series_credits:
        roles = grouped.setdefault(credit.series_id, (credit.series, []))[1]
        if credit.role not in roles:
            roles.append(credit.role)
    return list(grouped.values())


def _grouped(entries, articles, counts) -> list[tuple[str, int, list[Article]]]:
    groups: dict[str, list[Article]] = {}
    for entry in entries:
        article = articles.get(entry["article"])
        if article is not None:  # deleted between the two queries
            groups.setdefault(entry["label"], []).append(article)
    return [(role, counts.get(role, len(found)), found) for role, found in groups.items()]
