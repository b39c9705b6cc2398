"""Mark what matched, in the original text, as <mark>…</mark>.

Whoosh's highlighter splits overlapping bigrams (<em>百千</em>万<em>工程</em>)
and haystack's tag cuts the snippet at the first hit. Here every search term
is found as a literal substring of the normalised text (so ＧＤＰ matches gdp),
overlapping and adjacent matches are merged into one span, and the snippet
is the window with the most matched characters, plus a short fragment for
each term that window does not show.

Text comes one paragraph a line (``articles.text.html_to_text``). A reader
sees the paragraphs of a snippet run on: joined directly where either side
is Chinese (no space between two Chinese characters), with a space between
Latin words. Where text was skipped, the snippet says so with an ellipsis.
"""

import re
import unicodedata
from bisect import bisect_left, bisect_right
from html import escape
from itertools import accumulate

from django.utils.safestring import SafeString, mark_safe

from articles.chinese import normalise

ELLIPSIS = "…"  # at the start or end of a snippet: text before or after it was skipped
SEPARATOR = " … "  # between two fragments of a snippet: text between them was skipped
MAX_FRAGMENTS = 3  # the densest window, and up to two more for terms it does not show
MAX_MATCHES = 1000  # of each term, considered when choosing a snippet's window
# Chinese punctuation that Unicode calls "ambiguous" width: a paragraph break next to it joins without a space.
_CJK_PUNCTUATION = frozenset("“”‘’…—·")


def _normalised_with_map(text: str) -> tuple[str, list[int] | range]:
    """The normalised text, and for each of its characters the index in ``text``.

    Where some character folds into several (…… into ......, ㎡ into m2:
    common in Chinese news) or none, the text is folded character by
    character: each distinct character is normalised once, the text is
    translated in one pass, and the map costs a step only where a character
    changed length. Otherwise the whole text is normalised at once (so a
    letter and its combining accent compose), and usually maps one to one.
    """
    chars = sorted(set(text) - {"\n"})
    # One call for all of them: nothing composes with, or folds into, a line break.
    foldings = normalise("\n".join(chars)).split("\n")
    if len(foldings) != len(chars):
        foldings = [normalise(char) for char in chars]
    table = {ord(char): folded for char, folded in zip(chars, foldings, strict=True) if folded != char}
    resized = "".join(chr(code) for code, folded in table.items() if len(folded) != 1)
    if not resized:
        folded = normalise(text)
        if len(folded) == len(text):
            return folded, range(len(text))
    origin: list[int] = []
    cursor = 0
    for found in re.finditer(f"[{re.escape(resized)}]", text) if resized else ():
        index = found.start()
        origin.extend(range(cursor, index))
        origin.extend([index] * len(table[ord(text[index])]))
        cursor = index + 1
    origin.extend(range(cursor, len(text)))
    return text.translate(table), origin


class _Folded:
    """A text normalised as the terms are (``_normalised_with_map``), for
    finding terms in it and mapping what is found back to the text."""

    def __init__(self, text: str):
        self.folded, self.origin = _normalised_with_map(text)

    def spans(self, term: str, *, limit: int | None = None, start: int = 0, end: int | None = None):
        """The (start, end) spans of the text where ``term`` occurs, in order:
        the first ``limit`` of them, or all of those that overlap
        ``text[start:end]``. One ``str.find`` per occurrence."""
        folded, origin = self.folded, self.origin
        low = max(0, self._folded_index(start) - len(term) + 1)
        high = len(folded) if end is None else self._folded_index(end) + len(term) - 1
        spans, found = [], folded.find(term, low, high)
        while found != -1 and len(spans) != limit:
            span = (origin[found], origin[found + len(term) - 1] + 1)
            if end is None or (span[0] < end and span[1] > start):
                spans.append(span)
            found = folded.find(term, found + 1, high)
        return spans

    def occurs_within(self, term: str, start: int, end: int) -> bool:
        """Whether ``term`` occurs wholly inside ``text[start:end]``."""
        return self.folded.find(term, self._folded_index(start), self._folded_index(end)) != -1

    def _folded_index(self, index: int) -> int:
        """The first character of the folded text that comes from ``text[index:]``."""
        return index if isinstance(self.origin, range) else bisect_left(self.origin, index)


def _merge(spans) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def match_spans(text: str, terms) -> list[tuple[int, int]]:
    """Merged (start, end) spans of ``text`` where any term occurs."""
    folded = _Folded(text)
    return _merge(span for term in terms for span in folded.spans(term))


def highlight(text: str, terms) -> SafeString:
    """The whole text, escaped, with every match marked (paragraphs run on)."""
    return _render(text, 0, len(text), match_spans(text, terms))


def snippet(text: str, terms, *, length: int = 120, opening: bool = True) -> SafeString:
    """About ``length`` characters around the densest run of matches, marked,
    with a shorter fragment for each term that does not occur there (up to
    ``MAX_FRAGMENTS`` in all). With no match at all: the text's opening, or
    nothing if ``opening`` is false.

    Linear in the length of the text: the window is chosen among the first
    ``MAX_MATCHES`` matches of each term, and the windows shown are searched
    again for their marks."""
    if len(text) <= length:
        spans = match_spans(text, terms)
        return _render(text, 0, len(text), spans) if spans or opening else mark_safe("")
    folded = _Folded(text)
    occurrences = {term: folded.spans(term, limit=MAX_MATCHES) for term in terms}
    # Beyond the last match counted of a term that reached the cap, that term's
    # matches are unknown: the window is chosen among the matches before it.
    horizon = min((found[-1][0] for found in occurrences.values() if len(found) == MAX_MATCHES), default=len(text))
    spans = _merge(span for found in occurrences.values() for span in found if span[0] <= horizon)
    if not spans:
        return _render(text, 0, length, []) + mark_safe(ELLIPSIS) if opening else mark_safe("")
    start = _densest_window(spans, length, len(text))
    windows = [(start, start + length)]
    fragment = length // 2
    for term, found in occurrences.items():
        if len(windows) == MAX_FRAGMENTS:
            break
        if found and not any(folded.occurs_within(term, low, high) for low, high in windows):
            first = max(0, found[0][0] - fragment // 4)
            windows.append((first, min(len(text), first + fragment)))
    windows = _merge(windows)
    body = SEPARATOR.join(
        _render(text, start, end, _merge(span for term in terms for span in folded.spans(term, start=start, end=end)))
        for start, end in windows
    )
    before = ELLIPSIS if windows[0][0] > 0 else ""
    after = ELLIPSIS if windows[-1][1] < len(text) else ""
    return mark_safe(before + body + after)  # noqa: S308 - _render escaped every piece of text


def _densest_window(spans, length: int, size: int) -> int:
    """Start of the ``length``-character window that covers the most matched
    characters, among windows starting a little before a match. Prefix sums
    and two pointers that only move forward: O(m) for m matches."""
    starts = [start for start, _ in spans]
    ends = [end for _, end in spans]
    covered = [0, *accumulate(end - start for start, end in spans)]
    best_start, best_cover = 0, -1
    low = high = 0
    for first in starts:
        window_start = max(0, first - length // 4)
        window_end = window_start + length
        while ends[low] <= window_start:  # the first span ending inside the window
            low += 1
        while high < len(starts) and starts[high] < window_end:  # spans [low, high) start before its end
            high += 1
        cover = covered[high] - covered[low]
        cover -= max(0, window_start - starts[low]) + max(0, ends[high - 1] - window_end)  # clip both edges
        if cover > best_cover:
            best_start, best_cover = window_start, cover
    return min(best_start, size - length)


def _render(text: str, start: int, end: int, spans) -> SafeString:
    """``text[start:end]`` escaped, with the spans inside it marked."""
    out, cursor = [], start
    first = max(0, bisect_right(spans, (start, start)) - 1)  # the last span starting before the window
    for span_start, span_end in spans[first:]:
        if span_start >= end:
            break
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        out.append(escape(_run_on(text, cursor, span_start, (start, end))))
        out.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    out.append(escape(_run_on(text, cursor, end, (start, end))))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above


def _run_on(text: str, start: int, end: int, window: tuple[int, int]) -> str:
    """``text[start:end]`` with its paragraph breaks run on: nothing next to a
    Chinese character, a space between Latin words, nothing at the edges of
    the ``window`` shown."""
    if "\n" not in text[start:end]:
        return text[start:end]
    out, cursor = [], start
    while (line_break := text.find("\n", cursor, end)) != -1:
        out.append(text[cursor:line_break])
        if window[0] < line_break < window[1] - 1:
            before, after = text[line_break - 1], text[line_break + 1]
            if not (_is_cjk(before) or _is_cjk(after)):
                out.append(" ")
        cursor = line_break + 1
    out.append(text[cursor:end])
    return "".join(out)


def _is_cjk(char: str) -> bool:
    return char == "\n" or char in _CJK_PUNCTUATION or unicodedata.east_asian_width(char) in ("W", "F")
