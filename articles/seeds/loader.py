"""Apply parsed seed documents to the database.

A load is all or nothing: every document is parsed before anything is
written, and the writes run in one transaction. Loading the same documents
again changes nothing; a changed document updates the articles it holds.
"""

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Byline, Contributor, Credit, Series
from articles.services import article_import, article_save

from .parser import ParsedArticle, ParsedDocument, ParsedSeries, Person, SeedError, parse_bytes

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class SeedLoadError(Exception):
    """One or more documents are bad; nothing was loaded."""

    def __init__(self, errors: list[SeedError]):
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


@dataclass
class LoadReport:
    """What a load did (or, in a dry run, would do)."""

    counts: dict[str, Counter] = field(
        default_factory=lambda: {kind: Counter() for kind in ("series", "articles", "contributors")}
    )
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(counter[CREATED] or counter[UPDATED] for counter in self.counts.values())


def find_documents(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for the ``*.txt`` files inside it, sorted."""
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*.txt") if p.is_file() and not p.relative_to(path).as_posix().startswith(".")
            )
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(path)
    return found


def parse_documents(paths: list[Path]) -> list[ParsedDocument]:
    """Parse every document; raise SeedLoadError naming every bad one."""
    documents, errors = [], []
    for path in paths:
        try:
            documents.append(parse_bytes(path.read_bytes(), str(path)))
        except SeedError as error:
            errors.append(error)
        except OSError as error:
            errors.append(SeedError(str(path), 1, f"无法读取文件：{error.strerror}。"))
    if errors:
        raise SeedLoadError(errors)
    return documents


def load_paths(paths: list[Path], *, dry_run: bool = False, print_date: date | None = None) -> LoadReport:
    return load_documents(parse_documents(find_documents(paths)), dry_run=dry_run, print_date=print_date)


def load_documents(
    documents: list[ParsedDocument], *, dry_run: bool = False, print_date: date | None = None
) -> LoadReport:
    """Load ``documents`` in one transaction. ``print_date`` (``--date``) is the
    day the paper printed them: their articles get it as 刊发日期 and go live
    at 00:00 Beijing time that day; without it, new articles go live now."""
    loader = _Loader(print_date)
    with transaction.atomic():
        for document in documents:
            loader.contributors(document)
        for parsed, path in _merged_series(documents):
            with _blame(path, parsed.line):
                loader.series(parsed, path)
        for document in documents:
            loader.special_issue(document)
        for document in documents:
            loader.articles(document)
        if dry_run:
            transaction.set_rollback(True)
    return loader.report()


def _merged_series(documents: list[ParsedDocument]) -> list[tuple[ParsedSeries, str]]:
    """Each series once, as the documents describe it together.

    When several documents give a series an intro or credits, the last one
    (in load order) wins, so loading the same set twice is a no-op.
    """
    merged: dict[str, tuple[ParsedSeries, str]] = {}
    for document in documents:
        for parsed in document.series:
            if parsed.name not in merged:
                merged[parsed.name] = (ParsedSeries(parsed.name, parsed.line), document.path)
            series, _ = merged[parsed.name]
            series.intro = parsed.intro or series.intro
            series.credits = parsed.credits or series.credits
    return list(merged.values())


class _Loader:
    def __init__(self, print_date: date | None = None):
        self.print_date = print_date
        # A printed day's articles went live at its first minute, Beijing time.
        self.now = (
            timezone.make_aware(datetime.combine(print_date, time.min), ZoneInfo(settings.TIME_ZONE))
            if print_date
            else timezone.now()
        )
        self.contributors_by_name: dict[str, Contributor] = {}
        self.new_contributors: list[str] = []
        self.series_by_name: dict[str, Series] = {}
        self.series_outcome: dict[str, str] = {}
        self.article_outcomes: Counter = Counter()
        self.changes: list[str] = []
        self.warnings: list[str] = []

    def report(self) -> LoadReport:
        report = LoadReport(changes=self.changes, warnings=self.warnings)
        seen = len(self.contributors_by_name)
        report.counts["contributors"].update(
            {CREATED: len(self.new_contributors), UNCHANGED: seen - len(self.new_contributors)}
        )
        report.counts["series"].update(Counter(self.series_outcome.values()))
        report.counts["articles"].update(self.article_outcomes)
        return report

    # contributors ---------------------------------------------------------------

    def contributors(self, document: ParsedDocument) -> None:
        """Every name the document mentions, as one Contributor each."""
        people = [p for series in document.series for p in series.credits]
        people += [p for _, article in document.articles for p in article.bylines + article.credits]
        names = [name for name in dict.fromkeys(p.name for p in people) if name not in self.contributors_by_name]
        self.contributors_by_name.update({c.name: c for c in Contributor.objects.filter(name__in=names)})
        for name in names:
            if name not in self.contributors_by_name:
                with _blame(document.path, _first_line_naming(document, name)):
                    contributor = Contributor(name=name, kind=Contributor.kind_for_name(name))
                    contributor.full_clean()
                    contributor.save()
                self.contributors_by_name[name] = contributor
                self.new_contributors.append(name)
                self.changes.append(f"新建作者/机构：{name}")

    # series ---------------------------------------------------------------------

    def series(self, parsed: ParsedSeries, path: str) -> None:
        series = Series.objects.filter(name=parsed.name).first()
        if series is None:
            series = Series(name=parsed.name, intro=parsed.intro)
            series.full_clean()
            series.save()
            outcome = CREATED
        else:
            outcome = UNCHANGED
            if parsed.intro and parsed.intro != series.intro:
                series.intro = parsed.intro
                series.full_clean()
                outcome = UPDATED
        if parsed.credits and self._replace_series_credits(series, parsed.credits) and outcome == UNCHANGED:
            outcome = UPDATED
        if outcome == UPDATED:
            series.save()
        if outcome != UNCHANGED:
            verb = "新建" if outcome == CREATED else "更新"
            self.changes.append(f"{verb}专题：{parsed.name}（{path}:{parsed.line}）")
        self.series_by_name[parsed.name] = series
        self.series_outcome[parsed.name] = outcome

    def special_issue(self, document: ParsedDocument) -> None:
        """The page's running head names its special issue: the other series
        on the page are its columns. A column keeps its special issue when a
        later page names it without one."""
        if len(document.running_heads) > 1:
            names = "、".join(document.running_heads)
            self.warnings.append(
                f"{document.path}: 页眉里出现了几个专题名（{names}），看不出这一版属于哪个专刊；栏目归属保持不变。"
            )
        name = document.special_issue
        if name is None:
            return
        issue = self.series_by_name[name]
        line = document.running_heads[name]
        with _blame(document.path, line):
            if issue.parent_id is not None:
                raise ValidationError(
                    f"页眉“{name}”表示这一版属于专刊“{name}”，但“{name}”已经是“{issue.parent}”的栏目；"
                    "请先在后台调整专题的归属。"
                )
            for parsed in document.columns:
                column = self.series_by_name[parsed.name]
                if column.parent_id == issue.pk:
                    continue
                column.parent = issue
                column.full_clean()
                column.save()
                self.changes.append(f"栏目“{column.name}”归入专刊“{name}”（{document.path}:{line}）")
                if self.series_outcome[column.name] == UNCHANGED:
                    self.series_outcome[column.name] = UPDATED

    def _replace_series_credits(self, series: Series, people: list[Person]) -> bool:
        """Make the series credits exactly ``people``; True if anything changed."""
        wanted = [(p.name, p.role) for p in _unique(people)]
        current = Credit.objects.filter(series=series)
        if [(c.contributor.name, c.role) for c in current.select_related("contributor")] == wanted:
            return False
        current.delete()
        Credit.objects.bulk_create(
            Credit(series=series, contributor=self.contributors_by_name[name], role=role, position=i)
            for i, (name, role) in enumerate(wanted)
        )
        return True

    # articles -------------------------------------------------------------------

    def articles(self, document: ParsedDocument) -> None:
        source = Path(document.path).name
        existing = list(Article.objects.filter(source_document=source).order_by("source_line", "id"))
        matched = _match([article for _, article in document.articles], existing)
        for index, (series, parsed) in enumerate(document.articles):
            article = matched.get(index)
            digest = parsed.digest(series.name)
            with _blame(document.path, parsed.line):
                if article is None:
                    outcome = self._create_article(parsed, self.series_by_name[series.name], source, digest)
                elif article.source_digest == digest and not self._redated(article):
                    outcome = UNCHANGED
                    if article.source_line != parsed.line:
                        # Text above it moved; the article itself did not change.
                        Article.objects.filter(pk=article.pk).update(source_line=parsed.line)
                else:
                    outcome = self._update_article(article, parsed, self.series_by_name[series.name], digest)
            self.article_outcomes[outcome] += 1
            if outcome != UNCHANGED:
                verb = "新建" if outcome == CREATED else "更新"
                self.changes.append(f"{verb}文章：{parsed.title}（{document.path}:{parsed.line}）")
        left_over = [a for a in existing if a not in matched.values()]
        for article in left_over:
            self.warnings.append(
                f"{document.path}: 文档里已经没有《{article.title}》；网站上的这篇文章保持不变，如需下线请在后台撤稿。"
            )

    def _redated(self, article: Article) -> bool:
        """``--date`` gives a printed article another day than it has."""
        return self.print_date is not None and article.print_date != self.print_date

    def _create_article(self, parsed: ParsedArticle, series: Series, source: str, digest: str) -> str:
        article = Article(series=series, source_document=source, print_date=self.print_date)
        _fill(article, parsed, digest)
        with reversion.create_revision():  # one revision, taken with its bylines and credits
            article_import(article=article, at=self.now)
            self._write_people(article, parsed)
        return CREATED

    def _update_article(self, article: Article, parsed: ParsedArticle, series: Series, digest: str) -> str:
        article.series = series
        _fill(article, parsed, digest)
        if self._redated(article):
            article.print_date = self.print_date
            if article.status == Article.Status.PUBLISHED:
                article.publish_at = self.now
        with reversion.create_revision():
            article_save(article=article, by=None, comment=f"种子文档更新：{article.source_document}")
            article.bylines.all().delete()
            article.credits.all().delete()
            self._write_people(article, parsed)
        return UPDATED

    def _write_people(self, article: Article, parsed: ParsedArticle) -> None:
        Byline.objects.bulk_create(
            Byline(article=article, contributor=self.contributors_by_name[p.name], role=p.role, position=i)
            for i, p in enumerate(_unique(parsed.bylines))
        )
        Credit.objects.bulk_create(
            Credit(article=article, contributor=self.contributors_by_name[p.name], role=p.role, position=i)
            for i, p in enumerate(_unique(parsed.credits))
        )


def _fill(article: Article, parsed: ParsedArticle, digest: str) -> None:
    article.title = parsed.title
    article.body = parsed.body_html
    article.source_line = parsed.line
    article.source_digest = digest


def _unique(people: list[Person]) -> list[Person]:
    """The same person in the same role twice is one credit."""
    return list(dict.fromkeys(people))


def _match(parsed: list[ParsedArticle], existing: list[Article]) -> dict[int, Article]:
    """Pair the document's articles with those loaded from it before.

    By title first (so inserting an article leaves the others in place),
    then by position among what is left (so a corrected headline updates
    its article instead of adding a second one).
    """
    matched: dict[int, Article] = {}
    free = list(existing)
    for index, article in enumerate(parsed):
        same_title = next((a for a in free if a.title == article.title), None)
        if same_title is not None:
            matched[index] = same_title
            free.remove(same_title)
    unmatched = [index for index in range(len(parsed)) if index not in matched]
    matched.update(zip(unmatched, free, strict=False))
    return matched


def _first_line_naming(document: ParsedDocument, name: str) -> int:
    for series in document.series:
        if any(p.name == name for p in series.credits):
            return series.line
        for article in series.articles:
            if any(p.name == name for p in article.bylines + article.credits):
                return article.line
    return 1


@contextmanager
def _blame(path: str, line: int):
    """Turn a model validation error into a SeedError at this document line."""
    try:
        yield
    except ValidationError as error:
        messages = "；".join(error.messages)
        raise SeedLoadError([SeedError(path, line, messages)]) from None
