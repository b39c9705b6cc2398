"""What a reader typed, made safe to search with.

Readers type words, not query syntax: ``AND OR (``, ``title:``, quotes, ``*``
and HTML are just text here. The query is cut to a sane length and split on
white space into terms; every term must occur in an article, as a substring
after normalisation (so 江门 finds 新江门 and ｇｄｐ finds GDP).
"""

import re
from dataclasses import dataclass

from articles.chinese import normalise

__all__ = ["MAX_QUERY_LENGTH", "MAX_TERMS", "ReaderQuery", "normalise", "parse"]

MAX_QUERY_LENGTH = 100  # characters; longer input is cut, and the page says so
MAX_TERMS = 8

# Kept inside a term (PM2.5, C++, 5-G); anything else that is not a letter,
# digit or ideograph splits it, so no query syntax survives.
_INNER = ".+-#&/·'"
_SPLIT = re.compile(rf"[^\w{re.escape(_INNER)}]+|_+")


@dataclass(frozen=True)
class ReaderQuery:
    text: str  # what to show back to the reader (cut to length)
    terms: tuple[str, ...]  # normalised terms, in order, each once
    truncated: bool

    def __bool__(self):
        return bool(self.terms)


def parse(raw: str | None) -> ReaderQuery:
    raw = (raw or "").strip()
    text = raw[:MAX_QUERY_LENGTH]
    terms = []
    for piece in _SPLIT.split(normalise(text)):
        term = piece.strip(_INNER)
        if term and term not in terms:
            terms.append(term)
    truncated = len(raw) > MAX_QUERY_LENGTH or len(terms) > MAX_TERMS
    return ReaderQuery(text=text, terms=tuple(terms[:MAX_TERMS]), truncated=truncated)
