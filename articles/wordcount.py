"""字数: an article's length, counted as the paper counts it.

Every character of the body's text counts one, whatever it is: a Chinese
character, a full-width or ASCII punctuation mark, a letter, a digit (so
"GDP 增长 5%" is 7: G, D, P, 增, 长, 5, %). Whitespace does not count,
nor does markup: a picture counts nothing, its caption counts its text.
Only the body (正文) is counted: its headings, paragraphs, lists, tables and
picture captions; the title, 引题, 副题 and 摘要 are not.

The editor counts live with the same rule in
``articles/static/articles/wordcount.js``: the same ``WHITESPACE`` class
(written out rather than ``\\s``, which Python and JavaScript read
differently) and code points, not UTF-16 units. Migration 0009 keeps a frozen
copy of this module for the rows it fills.
"""

import re
from html.parser import HTMLParser

# Identical, character for character, to WHITESPACE in wordcount.js.
WHITESPACE = re.compile(r"[\t\n\v\f\r \u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]")


class _Text(HTMLParser):
    """The text a browser shows for the HTML (its ``textContent``), without scripts and styles."""

    SKIPPED = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def count_text(text: str) -> int:
    """Characters of ``text`` that are not whitespace."""
    return len(WHITESPACE.sub("", text))


def word_count(html: str) -> int:
    """The 字数 of an article body (HTML)."""
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    return count_text("".join(parser.parts))
