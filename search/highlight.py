"""Mark what matched, in the original text, as <mark>…</mark>.

Whoosh's highlighter splits overlapping bigrams (<em>百千</em>万<em>工程</em>)
and haystack's tag cuts the snippet at the first hit. Here every search term
is found as a literal substring of the normalised text (so ＧＤＰ matches gdp),
overlapping and adjacent matches are merged into one span, and the snippet
is the window with the most matched characters.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe

from .query import normalise


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


def match_spans(text: str, terms) -> list[tuple[int, int]]:
    """Merged (start, end) spans of ``text`` where any term occurs."""
    folded, origin = _normalised_with_map(text)
    spans = []
    for term in terms:
        start = folded.find(term)
        while start != -1:
            end = start + len(term)
            spans.append((origin[start], origin[end - 1] + 1))
            start = folded.find(term, start + 1)
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def highlight(text: str, terms) -> SafeString:
    """The whole text, escaped, with every match marked."""
    return _render(text, 0, len(text), match_spans(text, terms))


def snippet(text: str, terms, *, length: int = 120) -> SafeString:
    """About ``length`` characters around the densest run of matches, marked."""
    spans = match_spans(text, terms)
    if len(text) <= length:
        return _render(text, 0, len(text), spans)
    if not spans:
        return _render(text, 0, length, []) + mark_safe("…")
    best_start, best_cover = 0, -1
    for first, _ in spans:
        window_start = max(0, first - length // 4)
        window_end = window_start + length
        cover = sum(
            min(end, window_end) - max(start, window_start)
            for start, end in spans
            if start < window_end and end > window_start
        )
        if cover > best_cover:
            best_start, best_cover = window_start, cover
    start = min(best_start, len(text) - length)
    end = start + length
    body = _render(text, start, end, spans)
    return mark_safe(("…" if start > 0 else "") + body + ("…" if end < len(text) else ""))


def _render(text: str, start: int, end: int, spans) -> SafeString:
    out, cursor = [], start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        out.append(escape(text[cursor:span_start]))
        out.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    out.append(escape(text[cursor:end]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above
