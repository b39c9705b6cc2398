"""Finding listed words in an article's text: pure functions, no database.

One Aho-Corasick automaton (pyahocorasick) holds every sensitive word and
every common mistake, and finds all of them in one pass over a text, however
long the lists: Chinese is matched as written, character by character, with
no word segmentation. Overlapping hits are all reported (a short 禁用 word
inside a longer 提示 word must not hide behind it). ASCII letters are matched
without regard to case; nothing else is folded, so positions in the folded
text are positions in the original.

    matcher = Matcher([Entry("既使", MISTAKE, WARN, "错别字", suggestion="即使")])
    report = matcher.check([Field("body", "正文", "他既使来了")])
    report.hits[0].start, report.hits[0].end   # (1, 3)

proofing/services.py builds the matcher from the lists and the fields from an
article; bench/proofing_speed.py measures both.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass

import ahocorasick

SENSITIVE, MISTAKE = "sensitive", "mistake"
BLOCK, WARN = "block", "warn"  # the values of proofing.models.Level
LEVEL_LABELS = {BLOCK: "禁用", WARN: "提示"}
# Characters of context shown on each side of a hit.
CONTEXT = 15

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(text: str) -> str:
    """What is matched: the text with ASCII letters in lower case (same length)."""
    return text.translate(_ASCII_LOWER)


@dataclass(frozen=True)
class Entry:
    """A listed word: a sensitive word (``SENSITIVE``) or a mistake (``MISTAKE``)."""

    word: str
    kind: str
    level: str
    category: str
    suggestion: str = ""
    note: str = ""


@dataclass(frozen=True)
class Field:
    """One field of an article as plain text: ``name`` for code, ``label`` for people."""

    name: str
    label: str
    text: str


@dataclass(frozen=True)
class Hit:
    field: str
    field_label: str
    start: int  # in the field's plain text, counted in characters; ``end`` is exclusive
    end: int
    word: str  # as written in the text
    kind: str
    level: str
    category: str
    suggestion: str
    note: str
    before: str  # up to CONTEXT characters before the hit, line breaks as spaces
    after: str

    @property
    def is_blocking(self) -> bool:
        return self.level == BLOCK

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]

    @property
    def context(self) -> str:
        return f"{self.before}{self.word}{self.after}"

    def as_dict(self) -> dict:
        return {**asdict(self), "level_label": self.level_label}


@dataclass(frozen=True)
class Report:
    """Every hit in an article, 禁用 first, then in field and text order."""

    hits: tuple[Hit, ...] = ()

    @property
    def blocking(self) -> list[Hit]:
        return [hit for hit in self.hits if hit.is_blocking]

    @property
    def warnings(self) -> list[Hit]:
        return [hit for hit in self.hits if not hit.is_blocking]

    @property
    def blocking_words(self) -> list[str]:
        """The 禁用 words found, each once, in the order of the report."""
        return list(dict.fromkeys(hit.word for hit in self.blocking))

    def as_dict(self) -> dict:
        return {
            "hits": [hit.as_dict() for hit in self.hits],
            "blocking": len(self.blocking),
            "warnings": len(self.warnings),
            "blocking_words": self.blocking_words,
        }


class Matcher:
    """An automaton over ``entries``, built once; ``check`` is then cheap."""

    def __init__(self, entries: Iterable[Entry]):
        by_key: dict[str, list[Entry]] = {}
        for entry in entries:
            key = fold(entry.word)
            if key:
                by_key.setdefault(key, []).append(entry)
        self.size = len(by_key)
        self._automaton = ahocorasick.Automaton()
        for key, listed in by_key.items():
            # A word on both lists is one key with both entries, blocking ones first.
            self._automaton.add_word(key, (len(key), tuple(sorted(listed, key=lambda e: e.level != BLOCK))))
        if self.size:
            self._automaton.make_automaton()

    def find(self, field: Field) -> list[Hit]:
        """The hits in one field, in text order."""
        if not self.size or not field.text:
            return []
        text = field.text
        hits = []
        for last, (length, entries) in self._automaton.iter(fold(text)):
            start, end = last + 1 - length, last + 1
            before = text[max(0, start - CONTEXT) : start].replace("\n", " ")
            after = text[end : end + CONTEXT].replace("\n", " ")
            word = text[start:end]
            for entry in entries:
                hits.append(
                    Hit(
                        field.name,
                        field.label,
                        start,
                        end,
                        word,
                        entry.kind,
                        entry.level,
                        entry.category,
                        entry.suggestion,
                        entry.note,
                        before,
                        after,
                    )
                )
        hits.sort(key=lambda hit: (hit.start, -hit.end))
        return hits

    def check(self, fields: Iterable[Field]) -> Report:
        """Every hit in ``fields``: 禁用 first, then in the order of the fields and the text."""
        hits = [hit for field in fields for hit in self.find(field)]
        return Report(tuple(sorted(hits, key=lambda hit: not hit.is_blocking)))  # stable: field and text order kept
