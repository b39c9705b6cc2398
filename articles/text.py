"""Text of an article's HTML body, one paragraph or heading a line.

``html_to_text`` is for where text matters more than markup: the search
index and search snippets. Regular expressions rather than an HTML parser:
bodies come from CKEditor or the seed loader, and this runs for every search
hit (faster than html.parser: docs/benchmarks.md). ``html_to_review_text`` is for
revision diffs, where markup matters too: it runs once a page, with a parser.
"""

import re
from html import unescape
from html.parser import HTMLParser

_INVISIBLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|blockquote|br|tr|table|section|article|figure|figcaption)\b[^>]*>", re.IGNORECASE
)
_TAG = re.compile(r"<[^>]*>")


def html_to_text(html: str) -> str:
    text = _TAG.sub("", _BLOCK.sub("\n", _INVISIBLE.sub("", html or "")))
    lines = (line.strip() for line in unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


# An opening's text is first read from this many characters of HTML for each
# character wanted, and kept when it gives a few to spare (the window's last
# character may join a combining mark that follows it) and is all of scripts
# with no combining marks: ASCII and Latin, punctuation, kana, CJK and the
# full-width forms (tests/articles/test_opening_text.py checks each one). Then
# normalising it (NFC) and cutting it (shortened()) goes as for the whole.
_WINDOW_PER_CHARACTER = 4
_SPARE = 8
_WITHOUT_COMBINING_MARKS = re.compile(
    "[\x00-\u02ff\u2000-\u206f\u3000-\u3029\u3030-\u3098\u309b-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]*"
)
_SCRIPT_OR_STYLE = re.compile(r"<(?:script|style)\b", re.IGNORECASE)
_REFERENCE_TAIL = re.compile(r"&#?\w*")


def opening_text(html: str, length: int) -> str:
    """``html_to_text(html)`` as one line (line breaks dropped), of which
    callers read the first ``length`` characters, to normalise and cut them
    (``chinese.shortened()``): only the start of ``html`` is converted when it
    gives them, and they come out the same. An abstract wants 120 characters
    of text from 1,000 or more of HTML, and a list shows thirty abstracts."""
    window = length * _WINDOW_PER_CHARACTER
    if len(html) > window:
        start = without_cut_markup(html[:window])
        if not _SCRIPT_OR_STYLE.search(start):  # one ending past the window would show its code as text
            text = html_to_text(start).replace("\n", "")
            if len(text) >= length + _SPARE and _WITHOUT_COMBINING_MARKS.fullmatch(text):
                return text
    return html_to_text(html).replace("\n", "")


def without_cut_markup(html: str) -> str:
    """``html`` less a tag or character reference cut off at its end (``<p cla``,
    ``&am``): where an opening of the body (``Substr``) or a window stops. As
    ``re.sub(r"<[^>]*\\Z|&#?\\w*\\Z", "", html)``, without trying every position."""
    unclosed_tag = html.find("<", html.rfind(">") + 1)
    reference = html.rfind("&")
    if reference != -1 and not _REFERENCE_TAIL.fullmatch(html, reference):
        reference = -1
    cut = [start for start in (unclosed_tag, reference) if start != -1]
    return html[: min(cut)] if cut else html


class _ReviewText(HTMLParser):
    """Walks cleaned body HTML, writing text with its markup spelled out."""

    BLOCKS = {"p", "div", "h2", "h3", "h4", "blockquote", "figure", "figcaption", "table", "tr", "ul", "ol", "li"}
    PREFIX = {
        "h2": "【小标题】",
        "h3": "【小标题】",
        "h4": "【小标题】",
        "blockquote": "【引文】",
        "figcaption": "【图片说明】",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line = ""
        self.links: list[str] = []
        self.lists: list[list] = []  # per open list: [ordered?, number]
        self.cells = 0

    def _break(self):
        if self.line.strip():
            self.lines.append(self.line.strip())
        self.line = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.BLOCKS:
            self._break()
        if tag in self.PREFIX:
            self.line += self.PREFIX[tag]
        elif tag in ("ul", "ol"):
            self.lists.append([tag == "ol", 0])
        elif tag == "li" and self.lists:
            ordered = self.lists[-1]
            ordered[1] += 1
            self.line += f"{ordered[1]}. " if ordered[0] else "· "
        elif tag == "table":
            self.lines.append("【表格】")
        elif tag == "tr":
            self.cells = 0
            self.line += "｜"
        elif tag in ("td", "th"):
            span = "".join(f"（{a}={attributes[a]}）" for a in ("colspan", "rowspan") if attributes.get(a))
            self.line += span
        elif tag == "a":
            self.links.append(attributes.get("href") or "")
        elif tag == "img":
            size = f" {attributes['width']}×{attributes['height']}" if attributes.get("width") else ""
            self.line += f"［图片 {attributes.get('src', '')}{size} 替代文字“{attributes.get('alt', '')}”］"
        elif tag == "br":
            self._break()
        elif tag == "hr":
            self._break()
            self.lines.append("———")

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            self.line += f"［链接：{self.links.pop()}］"
        elif tag in ("td", "th"):
            self.line += "｜"
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag in self.BLOCKS:
            self._break()

    def handle_data(self, data):
        self.line += " ".join(data.split()) if not data.strip() else data.replace("\n", " ")

    def text(self) -> str:
        self._break()
        return "\n".join(self.lines)


def html_to_review_text(html: str) -> str:
    """The body as a reviewer compares it: one block a line, with every link
    target, picture (source, size, alternative text) and table cell written
    out, so that a changed link or picture shows as a change in the diff,
    not only the text around it. Expects cleaned HTML (see richtext.py)."""
    parser = _ReviewText()
    parser.feed(html or "")
    parser.close()
    return parser.text()
