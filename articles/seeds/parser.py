"""Parse one seed document into plain data.

The rules are those of docs/seed-format.md. Nothing here touches the
database, so every rule can be tested with a few lines of text.
"""

import hashlib
import html
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePath

from articles.chinese import IDEOGRAPHS, has_ideograph, is_ideograph
from articles.vocabulary import BYLINE_ROLES, CREDIT_ROLES, POSTFIX_BYLINE_ROLES, is_organisation_name

SENTENCE_END = "。！？…；：.!?;:"
CLOSERS = "”’」』）)》〉】"
BLANKS = " \t\u3000"

_HEADING = re.compile(r"^(#{1,6})(?:[ \t\u3000]+(.*))?$")
_CREDIT_LINE = re.compile(rf"^(?P<role>[{IDEOGRAPHS}A-Za-z/／]{{1,8}})[ \t\u3000]*：[ \t\u3000]*(?P<names>.*)$")
_NAME_SEPARATORS = re.compile(r"[ \t\u3000、，,]+")
_NAME = re.compile(rf"^[{IDEOGRAPHS}A-Za-z·•\-.]{{1,40}}$")
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")
# Control characters (Unicode category Cc) other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Binary data that happens to decode (random high bytes read as GB18030) is full of
# private-use and unassigned code points; text has none, or a rare 造字 here and there.
MAX_UNUSUAL_SHARE = 0.02  # of the characters that are not blank
MAX_UNUSUAL_ANYWAY = 2  # however short the text


# --- results ------------------------------------------------------------------


class SeedError(Exception):
    """Bad input: knows the file and the line, and says what is wrong in words."""

    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass(frozen=True)
class Person:
    """A name as it appears in a byline or credit, with its role there (and
    the line it is on, which does not make it another person)."""

    name: str
    role: str
    line: int = field(default=0, compare=False)


@dataclass
class Block:
    """A piece of an article body: a paragraph or a subheading.

    In a paragraph, ``\\n`` marks a hard line break.
    """

    kind: str  # "paragraph" | "subheading"
    text: str
    line: int


@dataclass
class ParsedArticle:
    title: str
    line: int
    blocks: list[Block] = field(default_factory=list)
    bylines: list[Person] = field(default_factory=list)
    credits: list[Person] = field(default_factory=list)

    @property
    def body_html(self) -> str:
        parts = []
        for block in self.blocks:
            text = html.escape(block.text, quote=False)
            if block.kind == "subheading":
                parts.append(f"<h2>{text}</h2>")
            else:
                parts.append("<p>{}</p>".format(text.replace("\n", "<br>\n")))
        return "\n".join(parts)

    def digest(self, series_name: str) -> str:
        """A fingerprint of everything the document says about this article."""
        payload = json.dumps(
            [
                series_name,
                self.title,
                self.body_html,
                [(p.name, p.role) for p in self.bylines],
                [(p.name, p.role) for p in self.credits],
            ],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode()).hexdigest()


@dataclass
class ParsedSeries:
    name: str
    line: int
    intro: str = ""
    credits: list[Person] = field(default_factory=list)
    articles: list[ParsedArticle] = field(default_factory=list)


@dataclass
class ParsedDocument:
    path: str  # where it was read, for messages
    series: list[ParsedSeries]
    # Series names repeated as running heads (page furniture), first line of each.
    running_heads: dict[str, int] = field(default_factory=dict)
    # What identifies the document from one load to the next (Article.source_document):
    # its path relative to the folder it was found in, or its file name.
    key: str = ""

    @property
    def articles(self) -> list[tuple[ParsedSeries, ParsedArticle]]:
        return [(series, article) for series in self.series for article in series.articles]

    @property
    def special_issue(self) -> str | None:
        """The special issue this page belongs to, when its running head names
        one of its series and it holds other series too (those are its
        columns). None when the page says nothing, or names several."""
        if len(self.running_heads) != 1 or len(self.series) < 2:
            return None
        return next(iter(self.running_heads))

    @property
    def columns(self) -> list[ParsedSeries]:
        """The series of this page that are columns of its special issue."""
        issue = self.special_issue
        return [series for series in self.series if issue and series.name != issue]


# --- decoding -----------------------------------------------------------------


def decode(data: bytes, path: str) -> str:
    """UTF-8 (with or without BOM), else GB18030; anything else is an error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SeedError(path, 1, "文件是 UTF-16 编码；请从排版系统导出 UTF-8 或 GB18030 文本。")
    if b"\x00" in data:
        raise SeedError(path, _line_of(data, data.index(b"\x00")), "这不是文本文件（含有二进制数据）。")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            line = _line_of(data, utf8_error.start)
            raise SeedError(path, line, "这不是文本文件：既不是 UTF-8 也不是 GB18030 编码的文字。") from None
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise SeedError(path, line, f"这不是文本文件（含有控制字符 U+{ord(control.group()):04X}）。")
    _check_characters(text, path)
    return text


def _check_characters(text: str, path: str) -> None:
    """Refuse bytes that decoded but are not text: too many private-use or unassigned characters."""
    unusual = [char for char in set(text) if unicodedata.category(char) in ("Co", "Cn")]
    if not unusual:
        return
    count = sum(text.count(char) for char in unusual)
    visible = len(text) - sum(text.count(char) for char in BLANKS + "\n\r")
    if count <= max(MAX_UNUSUAL_ANYWAY, MAX_UNUSUAL_SHARE * visible):
        return
    first = min(text.index(char) for char in unusual)
    line = text.count("\n", 0, first) + 1
    raise SeedError(
        path,
        line,
        f"这不是文本文件：{count} 个字符是私用区或未定义的码位（如 U+{ord(text[first]):04X}），"
        "像是二进制数据或编码错误；请从排版系统重新导出 UTF-8 或 GB18030 文本。",
    )


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


# --- parsing ------------------------------------------------------------------


@dataclass
class _Line:
    number: int
    text: str  # stripped
    hard_break: bool  # the raw line ended in two spaces


@dataclass
class _Heading:
    level: int
    text: str
    line: int


@dataclass
class _Paragraph:
    lines: list[_Line]

    @property
    def line(self) -> int:
        return self.lines[0].number

    @cached_property
    def text(self) -> str:
        return _join_lines(self.lines)


def parse_bytes(data: bytes, path: str, key: str | None = None) -> ParsedDocument:
    return parse_text(decode(data, path), path, key)


def parse_text(text: str, path: str, key: str | None = None) -> ParsedDocument:
    """The document in ``text``, read from ``path``; ``key`` identifies it
    between loads (its file name unless given)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    items = _items(lines, path)
    if not items:
        raise SeedError(path, 1, "文件是空的。")
    series_names = {item.text for item in items if isinstance(item, _Heading) and item.level == 1}
    running_heads: dict[str, int] = {}
    items = _without_running_heads(items, series_names, running_heads)
    document = _Builder(path).build(items)
    document.running_heads = running_heads
    document.key = PurePath(path).name if key is None else key
    return document


def _items(lines: list[str], path: str) -> list[_Heading | _Paragraph]:
    """Headings and paragraphs (runs of non-blank lines), with line numbers."""
    items: list[_Heading | _Paragraph] = []
    current: list[_Line] = []

    def flush():
        if current:
            items.append(_Paragraph(list(current)))
            current.clear()

    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if not stripped:
            flush()
            continue
        heading = _HEADING.match(stripped) if stripped[0] == "#" else None
        if heading:
            flush()
            title = (heading.group(2) or "").strip()
            if not title:
                raise SeedError(path, number, f"“{heading.group(1)}” 后面没有文字。")
            items.append(_Heading(min(len(heading.group(1)), 3), title, number))
            continue
        current.append(_Line(number, stripped, raw.endswith("  ")))
    flush()
    return items


def _without_running_heads(items, series_names: set[str], found: dict[str, int]):
    """Drop lines that only repeat a series name: page furniture, not content.
    The names so repeated (running heads) go into ``found`` with their line."""
    kept = []
    for item in items:
        if isinstance(item, _Paragraph):
            for line in item.lines:
                if line.text in series_names:
                    found.setdefault(line.text, line.number)
            lines = [line for line in item.lines if line.text not in series_names]
            if not lines:
                continue
            if len(lines) != len(item.lines):
                item = _Paragraph(lines)
        kept.append(item)
    return kept


class _Builder:
    def __init__(self, path: str):
        self.path = path
        self.series: dict[str, ParsedSeries] = {}
        self.current_series: ParsedSeries | None = None
        self.article: ParsedArticle | None = None
        self.article_items: list[_Heading | _Paragraph] = []
        self.series_items: list[_Paragraph] = []

    def build(self, items) -> ParsedDocument:
        for item in items:
            if isinstance(item, _Heading) and item.level == 1:
                self._close()
                self.current_series = self.series.get(item.text) or ParsedSeries(item.text, item.line)
                self.series.setdefault(item.text, self.current_series)
            elif isinstance(item, _Heading) and item.level == 2:
                if self.current_series is None:
                    raise SeedError(self.path, item.line, f"文章标题“{item.text}”之前没有专题（缺少一行 “# 专题名”）。")
                self._close()
                self.article = ParsedArticle(item.text, item.line)
            elif self.article is not None:
                self.article_items.append(item)
            elif self.current_series is None:
                raise SeedError(self.path, item.line, "第一个专题标题（“# 专题名”）之前有内容。")
            elif isinstance(item, _Heading):
                raise SeedError(self.path, item.line, f"小标题“{item.text}”不在任何文章里（缺少 “## 标题”）。")
            else:
                self.series_items.append(item)
        self._close()
        series = list(self.series.values())
        if not any(s.articles or s.credits for s in series):
            # Only headings (and perhaps an intro): loading it would make empty series.
            raise SeedError(
                self.path,
                series[0].line if series else 1,
                "文档里没有文章（“## 标题”），也没有职务名单（“角色：名字”），不会导入（以免建出空专题）。",
            )
        return ParsedDocument(self.path, series)

    def _close(self):
        if self.article is not None:
            self._finish_article()
        elif self.current_series is not None and self.series_items:
            self._finish_series_head()
        self.article, self.article_items, self.series_items = None, [], []

    def _finish_series_head(self):
        """Paragraphs directly under a series heading: credit blocks and an intro."""
        intro = []
        for paragraph in self.series_items:
            credits = self._credit_block(paragraph, strict=True)
            if credits is None:
                intro.append(paragraph.text)
            else:
                self.current_series.credits.extend(credits)
        if intro:
            self.current_series.intro = "\n\n".join(intro)

    def _finish_article(self):
        article, items = self.article, self.article_items
        # Walk back from the end: credit blocks, then the byline before them.
        end = len(items)
        credits: list[Person] = []
        while end and isinstance(items[end - 1], _Paragraph):
            block = self._credit_block(items[end - 1], strict=False)
            if block is None:
                break
            credits = block + credits
            end -= 1
        bylines = _byline(items[end - 1]) if end and isinstance(items[end - 1], _Paragraph) else None
        if bylines:
            end -= 1
            _check_credit_names(self.path, items[end + 1 :])
        elif credits and not all(person.role in CREDIT_ROLES for person in credits):
            # Without a byline, only well-known credit roles end an article;
            # anything else that looks like "角色：名字" is body text.
            credits, end = [], len(items)
        elif credits:
            _check_credit_names(self.path, items[end:])
        article.bylines = bylines or []
        article.credits = credits
        article.blocks = _body_blocks(items[:end])
        if not any(block.kind == "paragraph" for block in article.blocks):
            raise SeedError(self.path, article.line, f"文章“{article.title}”没有正文。")
        self.current_series.articles.append(article)

    def _credit_block(self, paragraph: _Paragraph, *, strict: bool) -> list[Person] | None:
        """``角色：名字 名字`` on every line, or None if this is not a credit block.

        ``strict`` (directly under a series heading): a role with no name is
        an error. Otherwise such a line is reported only once the paragraph
        is known to be in credit position (``_check_credit_names``).
        """
        people = []
        for line in paragraph.lines:
            match = _CREDIT_LINE.match(line.text)
            if not match:
                return None
            names = [name for name in _NAME_SEPARATORS.split(match["names"]) if name]
            if not names:
                if strict:
                    raise SeedError(self.path, line.number, f"职务“{match['role']}”后面没有名字。")
                people.append(Person("", match["role"], line.number))
                continue
            role = match["role"]
            if not all(_NAME.match(name) and (role in CREDIT_ROLES or _looks_like_name(name)) for name in names):
                return None
            people.extend(Person(name, role, line.number) for name in names)
        return people


def _check_credit_names(path: str, paragraphs) -> None:
    for paragraph in paragraphs:
        for line in paragraph.lines:
            match = _CREDIT_LINE.match(line.text)
            if match and not match["names"].strip(BLANKS + "、，,"):
                raise SeedError(path, line.number, f"职务“{match['role']}”后面没有名字。")


def _byline(paragraph: _Paragraph) -> list[Person] | None:
    """（记者 李明 通讯员 王芳） → people with roles; None if not a byline."""
    text = paragraph.text
    if not (text.startswith("（") and text.endswith("）")):
        return None
    inner = text[1:-1]
    if "（" in inner or "）" in inner or not inner.strip(BLANKS):
        return None
    people: list[Person] = []
    role = ""
    since_role: list[str] = []  # names given since the last role word
    for token in (t for t in _NAME_SEPARATORS.split(inner) if t):
        if "/" in token or "／" in token:
            # The name follows the last slash: 文/赵可义, and 文/图/李明 with the role 文/图.
            role, _, name = token.replace("／", "/").rpartition("/")
            since_role = []
            if not _is_slash_role(role):
                return None
            if name in BYLINE_ROLES:  # 文/图 赵可义
                role, name = f"{role}/{name}", ""
            if name:
                if not _looks_like_name(name):
                    return None
                people.append(Person(name, role, paragraph.line))
                since_role.append(name)
        elif token in BYLINE_ROLES:
            role, since_role = token, []
        elif token in POSTFIX_BYLINE_ROLES:
            if not since_role:
                return None
            people.extend(Person(name, token, paragraph.line) for name in since_role)
            since_role = []
        else:
            split = _split_role_prefix(token)
            if split:
                role, token = split
                since_role = []
            if not _looks_like_name(token):
                return None
            people.append(Person(token, role, paragraph.line))
            since_role.append(token)
    return people or None


def _is_slash_role(role: str) -> bool:
    """The role before a byline's last slash: any one word (``（角色/名字）``), but
    a compound one (文/图) only of byline roles, so 文/李明/王芳 is no byline."""
    if "/" not in role:
        return bool(role)
    return all(part in BYLINE_ROLES for part in role.split("/"))


def _split_role_prefix(token: str) -> tuple[str, str] | None:
    """记者李明 → (记者, 李明); 记者江门日报社 → (记者, 江门日报社): a role of
    two characters or more written against a name, when the rest, in Chinese,
    is a plausible name on its own (as it would be after a space)."""
    for role in sorted(BYLINE_ROLES, key=len, reverse=True):
        rest = token[len(role) :]
        if (
            len(role) > 1
            and token.startswith(role)
            and len(rest) >= 2
            and all(is_ideograph(c) for c in rest)
            and _looks_like_name(rest)
        ):
            return role, rest
    return None


def _looks_like_name(token: str) -> bool:
    if not _NAME.match(token):
        return False
    if has_ideograph(token):
        # Chinese personal names have two to four characters; longer ones
        # are organisations (江门日报社) or not names at all (图为开平碉楼).
        return 2 <= len(token) <= 4 or is_organisation_name(token)
    return True


def _body_blocks(items) -> list[Block]:
    """Subheadings and paragraphs, with paragraphs cut by a page break re-joined.

    The pieces of a cut paragraph are joined once, when it ends: a document
    of one endless paragraph costs linear time, not quadratic."""
    blocks: list[Block] = []
    pieces: list[str] = []  # the last paragraph, while it waits for its end
    last = ""  # its last character other than a closing quote or bracket

    def close():
        if pieces:
            blocks[-1].text = "".join(pieces)
            pieces.clear()

    for item in items:
        if isinstance(item, _Heading):
            close()
            blocks.append(Block("subheading", item.text, item.line))
            continue
        text = item.text
        if pieces:
            pieces.append(_separator(pieces[-1], text))
        else:
            blocks.append(Block("paragraph", "", item.line))
            last = ""
        pieces.append(text)
        last = text.rstrip(CLOSERS)[-1:] or last
        if last and last in SENTENCE_END:
            close()
    close()
    return blocks


def _join_lines(lines: list[_Line]) -> str:
    if len(lines) == 1:
        return lines[0].text
    pieces = [lines[0].text]
    for previous, line in zip(lines, lines[1:], strict=False):
        pieces.append("\n" if previous.hard_break else _separator(previous.text, line.text))
        pieces.append(line.text)
    return "".join(pieces)


def _separator(left: str, right: str) -> str:
    """What joins text cut by a line or page break: a space only between Latin letters or digits."""
    return " " if _LATIN_OR_DIGIT.match(left[-1]) and _LATIN_OR_DIGIT.match(right[0]) else ""
