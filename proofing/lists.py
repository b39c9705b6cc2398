"""Word lists as text: the format, its parser, and loading into the database.

One entry a line; ``#`` starts a comment line; blank lines are skipped. A
line ``[敏感词]`` or ``[错别字]`` says which list the following lines are for
(a file may hold both). Parts of a line are separated by ``|`` or a tab::

    [敏感词]
    词语 | 级别 | 类别 | 建议改为 | 说明      (all but the word may be left out)
    [错别字]
    错误写法 | 正确写法 | 说明              (or 错误写法→正确写法)

级别 is 禁用 or 提示, 类别 one of 政治 色情 暴力 广告 规范用语 其他. A part left
out keeps what an existing entry has (a new one gets the defaults), so pasting
bare words never downgrades a 禁用 word. Used by the starter list's migration
(proofing/starter/), the ``load_proofing_lists`` command and the admin's
bulk import; docs/proofing.md is the operator's guide.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .models import CommonMistake, Level, SensitiveWord
from .services import forget_matcher

SENSITIVE, MISTAKES = "sensitive", "mistakes"
SECTIONS = {"[敏感词]": SENSITIVE, "[错别字]": MISTAKES}
LEVELS = {**{str(label): value for value, label in Level.choices}, **{value: value for value in Level.values}}
CATEGORIES = {
    **{str(label): value for value, label in SensitiveWord.Category.choices},
    **{value: value for value in SensitiveWord.Category.values},
}
MAX_LENGTH = 100  # of a word, a wrong and a right form (the models' max_length)
_PARTS = re.compile(r"\s*[|\t]\s*")


class ListError(Exception):
    """The text has mistakes; ``errors`` lists them, one line each, in Chinese."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class WordLine:
    line: int
    word: str
    level: str | None = None
    category: str | None = None
    suggestion: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class MistakeLine:
    line: int
    wrong: str
    right: str
    note: str | None = None


@dataclass
class Parsed:
    words: list[WordLine] = field(default_factory=list)
    mistakes: list[MistakeLine] = field(default_factory=list)


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other):
        return Outcome(self.created + other.created, self.updated + other.updated, self.unchanged + other.unchanged)

    def summary(self) -> str:
        return f"新增 {self.created} 条，更新 {self.updated} 条，{self.unchanged} 条没有变化"


def decode(data: bytes) -> str:
    """A list file's text: UTF-8 (with or without BOM), else GB18030 (GBK files from Windows)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ListError(["文件不是 UTF-8 或 GBK 编码的文本文件。"])


def parse(text: str, *, section: str | None = None) -> Parsed:
    """Entries of ``text``; ``section`` is the list of lines before any header.
    Raises ListError naming every bad line."""
    parsed, errors = Parsed(), []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line in SECTIONS:
            section = SECTIONS[line]
            continue
        try:
            if section == SENSITIVE:
                parsed.words.append(_word_line(number, line))
            elif section == MISTAKES:
                parsed.mistakes.append(_mistake_line(number, line))
            else:
                raise ValueError("不知道这一行属于哪个清单：请在前面加一行 [敏感词] 或 [错别字]。")
        except ValueError as error:
            errors.append(f"第 {number} 行：{error}")
    if errors:
        raise ListError(errors)
    return parsed


def _word_line(number: int, line: str) -> WordLine:
    parts = _PARTS.split(line)
    if len(parts) > 5:
        raise ValueError("最多五项：词语 | 级别 | 类别 | 建议改为 | 说明。")
    word, level, category, suggestion, note = (parts + [""] * 5)[:5]
    _check_length(word, "词语")
    _check_length(suggestion, "建议改为")
    if level and level not in LEVELS:
        raise ValueError(f"看不懂级别“{level}”，请写“禁用”或“提示”。")
    if category and category not in CATEGORIES:
        raise ValueError(f"看不懂类别“{category}”，请写{'、'.join(str(c.label) for c in SensitiveWord.Category)}之一。")
    return WordLine(number, word, LEVELS.get(level), CATEGORIES.get(category), suggestion or None, note or None)


def _mistake_line(number: int, line: str) -> MistakeLine:
    parts = _PARTS.split(line)
    if len(parts) == 1 and "→" in line:
        parts = [part.strip() for part in line.split("→", 1)]
    if len(parts) > 3:
        raise ValueError("最多三项：错误写法 | 正确写法 | 说明。")
    if len(parts) < 2 or not parts[1]:
        raise ValueError(f"“{parts[0]}”缺少正确写法：写成“错误写法 | 正确写法”或“错误写法→正确写法”。")
    wrong, right, note = (parts + [""])[:3]
    _check_length(wrong, "错误写法")
    _check_length(right, "正确写法")
    if wrong == right:
        raise ValueError(f"“{wrong}”的正确写法和错误写法相同。")
    return MistakeLine(number, wrong, right, note or None)


def _check_length(value: str, name: str) -> None:
    if len(value) > MAX_LENGTH:
        raise ValueError(f"{name}“{value[:20]}…”太长（最多 {MAX_LENGTH} 个字）。")
    if name in ("词语", "错误写法") and not value:
        raise ValueError(f"{name}不能为空。")


@transaction.atomic
def load(
    parsed: Parsed,
    *,
    level: str = Level.BLOCK,
    category: str = SensitiveWord.Category.OTHER,
    word_model=SensitiveWord,
    mistake_model=CommonMistake,
) -> Outcome:
    """Add new entries and update existing ones (only in the parts a line
    gives); ``level`` and ``category`` are for new words that do not say.
    The models are parameters so that a migration can pass its historical ones."""
    words = _load_rows(
        word_model,
        "word",
        {line.word: line for line in parsed.words},
        lambda line: {
            "level": line.level,
            "category": line.category,
            "suggestion": line.suggestion,
            "note": line.note,
        },
        {"level": level, "category": category, "suggestion": "", "note": ""},
    )
    mistakes = _load_rows(
        mistake_model,
        "wrong",
        {line.wrong: line for line in parsed.mistakes},
        lambda line: {"right": line.right, "note": line.note},
        {"note": ""},
    )
    if words.created or words.updated or mistakes.created or mistakes.updated:
        # Bulk writes send no signals; other processes see the new stamp (services.py).
        forget_matcher()
        transaction.on_commit(forget_matcher)
    return words + mistakes


def _load_rows(model, key: str, lines: dict, values_of, defaults: dict) -> Outcome:
    outcome, now = Outcome(), timezone.now()
    existing = model.objects.in_bulk(list(lines), field_name=key)
    new, changed = [], []
    for name, line in lines.items():
        given = {attribute: value for attribute, value in values_of(line).items() if value is not None}
        row = existing.get(name)
        if row is None:
            new.append(model(**{key: name, **defaults, **given}))
        elif any(getattr(row, attribute) != value for attribute, value in given.items()):
            for attribute, value in given.items():
                setattr(row, attribute, value)
            row.updated_at = now  # bulk_update does not touch auto_now fields
            changed.append(row)
        else:
            outcome.unchanged += 1
    model.objects.bulk_create(new, batch_size=500)
    if changed:
        fields = [*values_of(lines[getattr(changed[0], key)]), "updated_at"]
        model.objects.bulk_update(changed, fields, batch_size=500)
    outcome.created, outcome.updated = len(new), len(changed)
    return outcome
