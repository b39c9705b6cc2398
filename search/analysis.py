"""Chinese text analysis for Whoosh: exact substring search.

Text is normalised (``articles.chinese.normalise``: NFKC, case-folded). A *run* is a maximal sequence of
ideographs, ASCII letters and digits ("新江门市2024年GDP增长" is one run); any
other character ends a run and leaves a one-position gap, so a match never
spans punctuation.

Indexing: every character of a run is a term at its position; so is every
bigram that is in ``grams/bigrams.txt`` (dictionary words and the newsroom's
vocabulary) or touches a Latin letter or digit. Bigrams keep the posting
lists a query reads short; single characters make every substring findable.

Querying: a run is covered by listed bigrams where possible, single
characters elsewhere, each with its offset. ``ExactPhrase`` matches a
document iff every piece occurs at start + offset, i.e. iff the query text
occurs in the document. So 江门 finds 新江门, 侨乡 finds 侨乡村, 鹤 finds 鹤山,
5G finds 5G基站, and 千万工程 finds 百千万工程 (it is written there).

Why this design rather than jieba word segmentation or every bigram:
docs/search.md and docs/benchmarks.md.

Only whoosh's public API is used: a ``Tokenizer``, a ``TEXT`` field whose
``index()`` yields what ``Positions.word_values()`` would (encoded by the
format's own ``encode()``), and a ``Query``/``Matcher`` pair. The one
assumption about whoosh's encoding (a count, then the pickled deltas, read
back faster by ``_Positions``) is checked by tests/search/test_whoosh_api.py.
"""

import hashlib
import re
from collections import defaultdict
from functools import cache
from itertools import accumulate
from pathlib import Path

from whoosh import fields, formats, matching, query
from whoosh.analysis import Token, Tokenizer
from whoosh.compat import loads
from whoosh.query.spans import Span
from whoosh.system import pack_uint

from articles.chinese import IDEOGRAPHS, normalise

BIGRAMS_FILE = Path(__file__).resolve().parent / "grams" / "bigrams.txt"
_RUN = re.compile(f"[{IDEOGRAPHS}a-z0-9]+")
# Positions.encode() writes the number of positions, then the pickled deltas.
_COUNT_SIZE = len(pack_uint(0))


@cache
def bigram_vocabulary() -> frozenset[str]:
    lines = BIGRAMS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip())


@cache
def grams_fingerprint() -> str:
    """Identifies the bigram list: an index built with another list must be rebuilt."""
    return hashlib.sha256(BIGRAMS_FILE.read_bytes()).hexdigest()[:16]


def _indexed_bigram(bigram: str, vocabulary: frozenset[str]) -> bool:
    # Bigrams touching an ASCII letter or digit are few and keep 2024年, GDP, 5G fast.
    return bigram in vocabulary or bigram[0] < "\x80" or bigram[1] < "\x80"


def runs(text: str):
    """(run, position of its first character, start offset in ``text``) for normalised text."""
    position, last_end = 0, None
    for match in _RUN.finditer(text):
        if last_end is not None:
            position += 1  # the gap: punctuation or space, however long
        yield match.group(), position, match.start()
        position += len(match.group())
        last_end = match.end()


def index_terms(run: str) -> list[tuple[int, str]]:
    vocabulary = bigram_vocabulary()
    terms = []
    for i, char in enumerate(run):
        terms.append((i, char))
        if i + 1 < len(run) and _indexed_bigram(run[i : i + 2], vocabulary):
            terms.append((i, run[i : i + 2]))
    return terms


def query_terms(run: str) -> list[tuple[int, str]]:
    """Pieces that cover ``run``: listed bigrams where possible, else single characters."""
    vocabulary = bigram_vocabulary()
    pieces, i, n = [], 0, len(run)
    while i < n:
        if i + 1 < n and _indexed_bigram(run[i : i + 2], vocabulary):
            pieces.append((i, run[i : i + 2]))
            i += 2
        elif i == n - 1 and i > 0 and _indexed_bigram(run[i - 1 : i + 1], vocabulary):
            pieces.append((i - 1, run[i - 1 : i + 1]))
            i += 1
        else:
            pieces.append((i, run[i]))
            i += 1
    return pieces


def term_positions(text: str) -> dict[str, list[int]]:
    """Every index term of ``text`` with its positions (the fast path of indexing)."""
    positions = defaultdict(list)
    for run, start, _ in runs(normalise(text)):
        for offset, term in index_terms(run):
            positions[term].append(start + offset)
    return positions


class ChineseTokenizer(Tokenizer):
    """The same terms as ``term_positions`` through Whoosh's token interface,
    used to parse queries (``mode="query"``)."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, value, positions=False, chars=False, start_pos=0, start_char=0, mode="", **kwargs):
        token = Token(positions, chars, mode=mode, **kwargs)
        for run, start, offset_in_text in runs(normalise(value)):
            pieces = query_terms(run) if mode == "query" else index_terms(run)
            for offset, term in pieces:
                token.text, token.boost, token.stopped = term, 1.0, False
                if positions:
                    token.pos = start_pos + start + offset
                if chars:
                    token.startchar = start_char + offset_in_text + offset
                    token.endchar = token.startchar + len(term)
                yield token


class _Positions(formats.Positions):
    """Whoosh's Positions encoding, decoded faster (the same result:
    tests/search/test_whoosh_api.py)."""

    def decode_positions(self, valuestring):
        if not valuestring.endswith(b"."):
            valuestring += b"."
        return list(accumulate(loads(valuestring[_COUNT_SIZE:])))


class ChineseText(fields.TEXT):
    """A TEXT field that finds any substring of Chinese (and Latin) text."""

    def __init__(self, stored=False, field_boost=1.0):
        super().__init__(
            analyzer=ChineseTokenizer(), phrase=True, stored=stored, field_boost=field_boost, multitoken_query="phrase"
        )
        self.format = _Positions(field_boost=field_boost)

    def self_parsing(self):
        return True

    def parse_query(self, fieldname, qstring, boost=1.0):
        tokens = [(t.text, t.pos) for t in self.analyzer(qstring, positions=True, mode="query")]
        if not tokens:
            return query.NullQuery
        if len(tokens) == 1:
            return query.Term(fieldname, tokens[0][0], boost=boost)
        first = tokens[0][1]
        return ExactPhrase(fieldname, [w for w, _ in tokens], [p - first for _, p in tokens], boost=boost)

    def index(self, value, **kwargs):
        """What ``Positions.word_values()`` yields, without Whoosh's per-token
        pipeline (docs/benchmarks.md): the terms and positions of ``term_positions``."""
        boost, encode = self.format.field_boost, self.format.encode
        for term, positions in term_positions(value).items():
            yield term.encode("utf8"), len(positions), len(positions) * boost, encode(positions)


class ExactPhrase(query.Phrase):
    """Words at explicit offsets from a common start: matches where all of
    them are found at ``start + offset``. Set intersection of positions,
    much faster than Whoosh's span-based Phrase on many candidates."""

    def __init__(self, fieldname, words, offsets, boost=1.0):
        super().__init__(fieldname, words, slop=1, boost=boost)
        self.offsets = list(offsets)

    def __eq__(self, other):
        return super().__eq__(other) and self.offsets == getattr(other, "offsets", None)

    def __hash__(self):
        return super().__hash__() ^ hash(tuple(self.offsets))

    def __repr__(self):
        return f"ExactPhrase({self.fieldname!r}, {self.words!r}, {self.offsets!r})"

    def normalize(self):
        return self

    def replace(self, fieldname, oldtext, newtext):
        copy = ExactPhrase(self.fieldname, list(self.words), self.offsets, self.boost)
        if copy.fieldname == fieldname:
            copy.words = [newtext if w == oldtext else w for w in copy.words]
        return copy

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        field = searcher.schema[self.fieldname]
        matchers = []
        for word in self.words:
            encoded = field.to_bytes(word)
            if (self.fieldname, encoded) not in reader:
                return matching.NullMatcher()
            matchers.append(query.Term(self.fieldname, encoded).matcher(searcher, context))
        span = max(offset + len(word) for word, offset in zip(self.words, self.offsets, strict=True)) - 1
        matcher = _ExactPhraseMatcher(matchers, self.offsets, span)
        return matching.WrappingMatcher(matcher, boost=self.boost) if self.boost != 1.0 else matcher


class _ExactPhraseMatcher(matching.Matcher):
    """Documents where every word occurs at start + its offset.

    The words' posting lists are intersected in one flat leapfrog loop, then
    the positions compared. Whoosh's own way, a SpanWrappingMatcher over a
    binary tree of IntersectionMatchers, costs a dozen Python calls more per
    candidate document (docs/benchmarks.md).
    """

    def __init__(self, matchers, offsets, span):
        self.matchers, self.offsets, self.span = matchers, offsets, span
        self._id = None
        self._active = all(m.is_active() for m in matchers)
        if self._active:
            self._settle()

    def __repr__(self):
        return f"{type(self).__name__}({self.matchers!r}, {self.offsets!r})"

    def copy(self):
        return type(self)([m.copy() for m in self.matchers], self.offsets, self.span)

    def replace(self, minquality=0):
        return self if self._active else matching.NullMatcher()

    def children(self):
        return list(self.matchers)

    def is_active(self):
        return self._active

    def id(self):
        return self._id

    def next(self):
        if not self._active:
            raise matching.ReadTooFar
        first = self.matchers[0]
        first.next()
        if not first.is_active():
            self._active = False
            return
        self._settle()

    def skip_to(self, id):
        if not self._active:
            raise matching.ReadTooFar
        if id <= self._id:
            return
        for m in self.matchers:
            m.skip_to(id)
            if not m.is_active():
                self._active = False
                return
        self._settle()

    def score(self):
        return sum(m.score() for m in self.matchers)

    def spans(self):
        return [Span(p, p + self.span) for p in sorted(self._starts())]

    def _settle(self):
        """From where the words' matchers stand, move to the first document
        that has them all at their offsets (or become inactive)."""
        matchers = self.matchers
        while True:
            target = max(m.id() for m in matchers)
            aligned = False
            while not aligned:
                aligned = True
                for m in matchers:
                    if m.id() < target:
                        m.skip_to(target)
                        if not m.is_active():
                            self._active = False
                            return
                        if m.id() > target:
                            target, aligned = m.id(), False
                            break
            if self._starts():
                self._id = target
                return
            first = matchers[0]
            first.next()
            if not first.is_active():
                self._active = False
                return

    def _starts(self) -> set[int]:
        """Positions in the current document where the phrase starts."""
        starts = None
        for matcher, offset in zip(self.matchers, self.offsets, strict=True):
            positions = matcher.value_as("positions")
            candidates = {p - offset for p in positions} if offset else set(positions)
            starts = candidates if starts is None else starts & candidates
            if not starts:
                return set()
        return starts
