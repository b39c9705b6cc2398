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

import unicodedata
from bisect import bisect_left, bisect_right
from html import escape
from itertools import accumulate

from django.utils.safestring import SafeString, mark_safe

from .query import normalise

ELLIPSIS = "…"  # at the start or end of a snippet: text before or after it was skipped
SEPARATOR = " … "  # between two fragments of a snippet: text between them was skipped
MAX_FRAGMENTS = 3  # the densest window, and up to two more for terms it does not show
# Chinese punctuation that Unicode calls "ambiguous" width: a paragraph break next to it joins without a space.
_CJK_PUNCTUATION = frozenset("“”‘’…—·")


def _normalised_with_map(text: str) -> tuple[str, list[int] | range]:
    """The normalised text, and for each of its characters the index in ``text``."""
    folded = normalise(text)
    if len(folded) == len(text):  # nearly always: full-width forms fold one to one
        return folded, range(len(text))
    chars, origin = [], []
    for index, char in enumerate(text):
        folded = normalise(char)
        chars.append(folded)
        origin.extend([index] * len(folded))
    return "".join(chars), origin


def _occurrences(text: str, terms) -> dict[str, list[tuple[int, int]]]:
    """For each term, the (start, end) spans of ``text`` where it occurs, in order.
    One pass of ``str.find`` per occurrence: linear in the length of the text."""
    folded, origin = _normalised_with_map(text)
    found = {}
    for term in terms:
        spans, start = [], folded.find(term)
        while start != -1:
            spans.append((origin[start], origin[start + len(term) - 1] + 1))
            start = folded.find(term, start + 1)
        found[term] = spans
    return found


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
    return _merge(span for spans in _occurrences(text, terms).values() for span in spans)


def highlight(text: str, terms) -> SafeString:
    """The whole text, escaped, with every match marked (paragraphs run on)."""
    return _render(text, 0, len(text), match_spans(text, terms))


def snippet(text: str, terms, *, length: int = 120, opening: bool = True) -> SafeString:
    """About ``length`` characters around the densest run of matches, marked,
    with a shorter fragment for each term that does not occur there (up to
    ``MAX_FRAGMENTS`` in all). With no match at all: the text's opening, or
    nothing if ``opening`` is false."""
    occurrences = _occurrences(text, terms)
    spans = _merge(span for found in occurrences.values() for span in found)
    if not spans and not opening:
        return mark_safe("")
    if len(text) <= length:
        return _render(text, 0, len(text), spans)
    if not spans:
        return _render(text, 0, length, []) + mark_safe(ELLIPSIS)
    start = _densest_window(spans, length, len(text))
    windows = [(start, start + length)]
    fragment = length // 2
    for found in occurrences.values():
        if len(windows) == MAX_FRAGMENTS:
            break
        if found and not any(low <= s and e <= high for s, e in found for low, high in windows):
            first = max(0, found[0][0] - fragment // 4)
            windows.append((first, min(len(text), first + fragment)))
    windows = _merge(windows)
    body = SEPARATOR.join(_render(text, start, end, spans) for start, end in windows)
    before = ELLIPSIS if windows[0][0] > 0 else ""
    after = ELLIPSIS if windows[-1][1] < len(text) else ""
    return mark_safe(before + body + after)  # noqa: S308 - _render escaped every piece of text


def _densest_window(spans, length: int, size: int) -> int:
    """Start of the ``length``-character window that covers the most matched
    characters, among windows starting a little before a match. Prefix sums
    and bisection: O(m log m) for m matches, however many there are."""
    starts = [start for start, _ in spans]
    ends = [end for _, end in spans]
    covered = [0, *accumulate(end - start for start, end in spans)]
    best_start, best_cover = 0, -1
    for first in starts:
        window_start = max(0, first - length // 4)
        window_end = window_start + length
        low = bisect_right(ends, window_start)  # first span ending inside the window
        high = bisect_left(starts, window_end)  # spans [low, high) start before its end
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
