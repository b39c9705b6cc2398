"""Apply parsed seed documents to the database.

A load is all or nothing: every document is read, parsed and checked
against the columns it will fill before anything is written, and the writes
run in one transaction. Loading the same documents again changes nothing; a
changed document updates the articles it holds.

A document is identified (``Article.source_document``) by its path relative
to the folder it was found in, or by its file name when it was given itself.
"""

import errno
import hashlib
import os
import stat
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.models import Article, Byline, Contributor, Credit, Series
from articles.services import (
    article_import,
    article_save,
    article_set_people,
    contributor_for_name,
    series_set_credits,
)

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


@dataclass(frozen=True)
class SeedFile:
    """A document to load: where it is, and the key that identifies it."""

    path: Path
    key: str  # its path relative to the folder given, or its file name when given itself


def find_documents(paths: list[Path]) -> list[SeedFile]:
    """Files as given; a folder stands for the ``*.txt`` files inside it, sorted,
    each keyed by its path relative to that folder. A file named twice (or
    found again through another folder) is loaded once. Raises
    FileNotFoundError for a path that does not exist."""
    found, seen = [], set()
    for path in paths:
        if not os.path.lexists(path):
            raise FileNotFoundError(path)
        if path.is_dir():
            inside = [
                (file, file.relative_to(path).as_posix())
                for file in sorted(path.rglob("*.txt"))
                if not file.is_dir() and not file.relative_to(path).as_posix().startswith(".")
            ]
        else:
            inside = [(path, path.name)]  # a device or a pipe too: reading it says what it is
        for file, key in inside:
            identity = _identity(file)
            if identity not in seen:
                seen.add(identity)
                found.append(SeedFile(file, key))
    return found


def _identity(path: Path):
    try:
        status = path.stat()
    except OSError:
        return path.absolute()
    return (status.st_dev, status.st_ino)


def read_document(path: Path) -> bytes:
    """The bytes of a regular file. A device, a pipe or a socket is refused
    without reading it (a pipe would wait for a writer; /dev/zero never ends)."""
    try:
        kind = _not_regular(os.stat(path).st_mode)
        if kind is None:
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(descriptor, "rb") as file:
                kind = _not_regular(os.fstat(descriptor).st_mode)  # replaced since the check?
                if kind is None:
                    return file.read()
    except OSError as error:
        reason = _READ_ERRORS.get(error.errno, error.strerror)
        raise SeedError(str(path), 1, f"无法读取文件：{reason}。") from None
    raise SeedError(str(path), 1, f"这不是普通文件（{kind}），不能当作种子文档读取。")


_READ_ERRORS = {
    errno.ENOENT: "文件不存在（或是指向不存在文件的链接）",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.ELOOP: "符号链接循环",
    errno.ENXIO: "不是普通文件",
}


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "是设备文件"
    if stat.S_ISFIFO(mode):
        return "是管道"
    if stat.S_ISSOCK(mode):
        return "是套接字"
    if stat.S_ISDIR(mode):
        return "是文件夹"
    return "不是文本文件"


def parse_documents(files: list[SeedFile]) -> list[ParsedDocument]:
    """Read, parse and check every document; raise SeedLoadError naming every bad one.

    Two different files with the same key would claim the same articles: both
    are refused. The same bytes under the same key are one document, loaded once.
    """
    documents, errors = [], []
    by_key: dict[str, tuple[SeedFile, bytes]] = {}
    for file in files:
        try:
            data = read_document(file.path)
        except SeedError as error:
            errors.append(error)
            continue
        fingerprint = hashlib.sha256(data).digest()
        if file.key in by_key:
            first, first_fingerprint = by_key[file.key]
            if fingerprint != first_fingerprint:
                errors.append(
                    SeedError(
                        str(file.path),
                        1,
                        f"与 {first.path} 同名（文档标识都是“{file.key}”）而内容不同，两份文档会认领同样的文章；"
                        "请只导入其中一份，或把它们放在同一个文件夹的不同子文件夹里、导入这个文件夹（按相对路径区分）。",
                    )
                )
            continue
        by_key[file.key] = (file, fingerprint)
        try:
            document = parse_bytes(data, str(file.path), file.key)
        except SeedError as error:
            errors.append(error)
            continue
        errors += too_long(document)
        documents.append(document)
    if errors:
        raise SeedLoadError(errors)
    return documents


def too_long(document: ParsedDocument) -> list[SeedError]:
    """Every value of the document longer than the column it goes into
    (SQLite would store it; PostgreSQL would refuse the whole load)."""
    errors = []

    def check(value: str, model, field_name: str, line: int, what: str) -> None:
        limit = model._meta.get_field(field_name).max_length
        if len(value) > limit:
            shown = value if len(value) <= 30 else value[:30] + "…"
            errors.append(SeedError(document.path, line, f"{what}“{shown}”有 {len(value)} 个字，最多 {limit} 个字。"))

    def check_people(people: list[Person], relation) -> None:
        for person in people:
            check(person.name, Contributor, "name", person.line, "名字")
            check(person.role, relation, "role", person.line, "署名角色" if relation is Byline else "职务")

    check(document.key, Article, "source_document", 1, "文档路径")
    for series in document.series:
        check(series.name, Series, "name", series.line, "专题名")
        check_people(series.credits, Credit)
        for article in series.articles:
            check(article.title, Article, "title", article.line, "标题")
            check_people(article.bylines, Byline)
            check_people(article.credits, Credit)
    return errors


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
        loader.adopt_moved(documents)
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
                    contributor = contributor_for_name(name=name)
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
        return series_set_credits(series=series, credits=self._parts(people))

    # articles -------------------------------------------------------------------

    def adopt_moved(self, documents: list[ParsedDocument]) -> None:
        """Give each document the articles loaded from the same file under another key.

        Before documents were keyed by their relative path they were keyed by
        their file name (``page.txt`` for ``coll/page1/page.txt``); and a file
        loaded from another folder has a longer or shorter path. A document
        with nothing under its own key takes, from such related keys, each
        article with the same text as one of its own, then each with the same
        headline; and when it is the only document of this load related to an
        old key and took one of its articles, it takes the rest of them too (so
        a corrected headline still updates its article). Nothing is taken on
        the strength of a file name alone: another page that happens to have
        the same name keeps its articles. What is taken is re-keyed, so the
        next load finds it directly.
        """
        keys = {document.key for document in documents}
        stored = set(Article.objects.filter(source_document__in=keys).values_list("source_document", flat=True))
        newcomers = [document for document in documents if document.key not in stored]
        related = {
            document.key: list(
                Article.objects.filter(_related_keys(document.key))
                .exclude(source_document__in=keys)
                .order_by("source_document", "source_line", "id")
            )
            for document in newcomers
        }
        taker: dict[int, str] = {}  # article id → key of the document that takes it
        for field_name in ("source_digest", "title"):
            for document in newcomers:
                for series, parsed in document.articles:
                    wanted = parsed.digest(series.name) if field_name == "source_digest" else parsed.title
                    for article in related[document.key]:
                        if article.pk not in taker and getattr(article, field_name) == wanted:
                            taker[article.pk] = document.key
                            break
        by_old_key = defaultdict(dict)  # old key → {article: keys of the documents related to it}
        for key, articles in related.items():
            for article in articles:
                by_old_key[article.source_document].setdefault(article, set()).add(key)
        moves = defaultdict(list)
        for old_key, articles in by_old_key.items():
            relatives = set().union(*articles.values())
            if len(relatives) == 1 and any(article.pk in taker for article in articles):
                taker.update((article.pk, *relatives) for article in articles)
            for article in articles:
                if article.pk in taker:
                    moves[(old_key, taker[article.pk])].append(article.pk)
        for (old_key, key), pks in moves.items():
            Article.objects.filter(pk__in=pks).update(source_document=key)
            self.changes.append(f"文档标识“{old_key}”改为“{key}”：{len(pks)} 篇文章")

    def articles(self, document: ParsedDocument) -> None:
        source = document.key
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
            self._set_people(article, parsed)
        return CREATED

    def _update_article(self, article: Article, parsed: ParsedArticle, series: Series, digest: str) -> str:
        article.series = series
        _fill(article, parsed, digest)
        if self._redated(article):
            article.print_date = self.print_date
            if article.status == Article.Status.PUBLISHED:
                article.publish_at = self.now
        with reversion.create_revision():  # the people first: the article's save records them with it
            self._set_people(article, parsed)
            article_save(article=article, by=None, comment=f"种子文档更新：{article.source_document}")
        return UPDATED

    def _set_people(self, article: Article, parsed: ParsedArticle) -> None:
        """The article's bylines and credits as the document prints them (the
        article is saved by the caller, in the same revision)."""
        article_set_people(
            article=article,
            by=None,
            bylines=self._parts(parsed.bylines),
            credits=self._parts(parsed.credits),
            claimed=True,
        )

    def _parts(self, people: list[Person]) -> list[tuple[Contributor, str]]:
        return [(self.contributors_by_name[p.name], p.role) for p in _unique(people)]


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


def _related_keys(key: str) -> Q:
    """Keys under which the same file may have been loaded before: its file name
    or a shorter tail of its path, or a longer path that ends with it."""
    parts = key.split("/")
    tails = ["/".join(parts[i:]) for i in range(1, len(parts))]
    return Q(source_document__in=tails) | Q(source_document__endswith=f"/{key}")


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
