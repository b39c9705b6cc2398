from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, Count, Exists, F, OuterRef, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.utils import timezone
from django.views.generic import ListView

from newsroom.prepared import PreparedRead

from ..models import Article, Byline, Contributor, Credit, Series
from ..models.articles import LINK_FIELDS, public_article

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
    (``Contributor.objects.with_public_work()``): anyone else is a 404.
    Every statement is a prepared read (newsroom/prepared.py)."""

    template_name = "articles/contributor_detail.html"
    context_object_name = "entries"
    paginate_by = 30

    def get_queryset(self):
        self.now = timezone.now()
        found = _contributor_by_slug(now=self.now, slug=self.kwargs["slug"])
        if not found:
            raise Http404("没有这位作者")
        self.contributor = found[0]
        self.article_roles = _article_roles(self.contributor, now=self.now)
        return _Entries(self.contributor, self.article_roles, now=self.now)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        series_credits = _series_credits(contributor=self.contributor.pk, now=self.now)
        entries = context["entries"]
        # Ids of public articles (the statement before): loading them by id
        # needs no second filter, which would lead SQLite to scan every public row.
        articles = {article.pk: article for article in _articles(articles=[entry.article for entry in entries])}
        counts = {role.role: role.count for role in self.article_roles}
        context.update(
            contributor=self.contributor,
            role_summary=[*self.article_roles, *_series_roles(series_credits)],
            series_credits=_by_series(series_credits),
            # On this page: (role, its count, its articles here), in the summary's order.
            role_groups=_grouped(entries, articles, counts),
        )
        return context


@dataclass(frozen=True)
class Entry:
    """A public article of theirs under one role: what the page lists."""

    article: int
    role: str


class _Entries:
    """Their (role, public article) entries as Django's Paginator reads them:
    ``count()`` is the role counts' sum (each counts an article once per
    role, as the list has it), ``[start:stop]`` a page of the list, grouped by
    role in the summary's order, newest first within a role."""

    def __init__(self, contributor: Contributor, roles: list[RoleCount], *, now: datetime):
        self.contributor, self.roles, self.now = contributor, roles, now

    def count(self) -> int:
        return sum(role.count for role in self.roles)

    def __getitem__(self, window: slice) -> list[Entry]:
        rows = _entries(
            contributor=self.contributor.pk,
            roles=[role.role for role in self.roles],
            now=self.now,
            start=window.start,
            stop=window.stop,
        )
        return [Entry(article=article, role=label) for article, label, _rank, _published in rows]


def _article_roles(contributor: Contributor, *, now: datetime) -> list[RoleCount]:
    """How many public articles they signed or were credited on, per role:
    byline roles first, each kind the most frequent first, in one query. An
    article counts once per role, whether a byline, a credit or both name it
    so (文 as a byline and as a credit of one article: 文 1 篇)."""
    counts: dict[str, list[int]] = {}
    for label, n, kind in _role_counts(contributor=contributor.pk, now=now):
        kind_and_count = counts.setdefault(label, [kind, 0])
        kind_and_count[0] = min(kind_and_count[0], kind)
        kind_and_count[1] += n
    ordered = sorted(counts.items(), key=lambda item: (item[1][0], -item[1][1], item[0]))
    return [RoleCount(role=label, count=count, unit="篇") for label, (_, count) in ordered]


def _role_label():
    return Coalesce(NullIf("role", Value("")), Value(UNNAMED_ROLE))


def _their_relations(contributor: int, now: datetime):
    """Their bylines, and the article credits no byline of theirs already
    gives the same role on the same article, on public articles, labelled by role."""
    bylines = Byline.objects.filter(public_article(now=now), contributor=contributor).annotate(label=_role_label())
    same_as_a_byline = bylines.filter(article=OuterRef("article"), label=OuterRef("label"))
    credits = (
        Credit.objects.filter(public_article(now=now), contributor=contributor)
        .annotate(label=_role_label())
        .filter(~Exists(same_as_a_byline))
    )
    return [bylines.order_by(), credits.order_by()]


def _counted_roles(contributor: int, now: datetime):
    """(role, how many public articles, 0) for each role of their bylines,
    then (role, how many, 1) for each of their credits (``_their_relations``)."""
    bylines, credits = _their_relations(contributor, now)
    by_role = [
        relation.values("label")
        .annotate(n=Count("article", distinct=True), kind=Value(kind))
        .values_list("label", "n", "kind")
        for kind, relation in enumerate((bylines, credits))
    ]
    return by_role[0].union(by_role[1], all=True)


def _listed(contributor: int, roles: list[str], now: datetime):
    """Each (role, public article) of theirs once, grouped by role in the
    summary's order (``roles``), newest first within a role."""
    rank = Case(*(When(label=role, then=Value(i)) for i, role in enumerate(roles)), default=Value(len(roles)))
    parts = [
        relation.annotate(rank=rank, published=F("article__publish_at")).values_list(
            "article", "label", "rank", "published"
        )
        for relation in _their_relations(contributor, now)
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


def _grouped(entries: list[Entry], articles: dict, counts) -> list[tuple[str, int, list[Article]]]:
    groups: dict[str, list[Article]] = {}
    for entry in entries:
        article = articles.get(entry.article)
        if article is not None:  # deleted between the two queries
            groups.setdefault(entry.role, []).append(article)
    return [(role, counts.get(role, len(found)), found) for role, found in groups.items()]


# What the page reads, each statement compiled once (newsroom/prepared.py).
_contributor_by_slug = PreparedRead(
    lambda now, slug: Contributor.objects.with_public_work(now=now).filter(slug=slug), now=datetime, slug=str
)
_role_counts = PreparedRead(_counted_roles, contributor=int, now=datetime)
_entries = PreparedRead(_listed, sliced=True, contributor=int, roles=list[str], now=datetime)
_series_credits = PreparedRead(
    lambda contributor, now: (
        Credit.objects.filter(contributor=contributor, series__in=Series.objects.with_public_articles(now=now))
        .select_related("series", "series__parent")
        .annotate(has_columns=Exists(Series.objects.filter(parent=OuterRef("series"))))
        .order_by("series__name", "position")
    ),
    contributor=int,
    now=datetime,
)
# The listed articles: what each line shows (a link to the article).
_articles = PreparedRead(
    lambda articles: Article.objects.select_related("series").only(*LINK_FIELDS).filter(pk__in=articles),
    articles=list[int],
)
