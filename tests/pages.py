"""Reading a public page as a reader does: the text of one part of it."""

import re
from html.parser import HTMLParser

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Runs of ASCII whitespace (template indentation); the full-width space
# between a byline's or a credit's groups (U+3000) is text and stays.
_SPACES = re.compile(r"[ \t\r\n\f]+")


class _Text(HTMLParser):
    def __init__(self, css_class: str):
        super().__init__(convert_charrefs=True)
        self.css_class, self.depth, self.parts, self.found = css_class, 0, None, []

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        if self.parts is not None:
            self.depth += 1
        elif self.css_class in (dict(attrs).get("class") or "").split():
            self.parts, self.depth = [], 1

    def handle_endtag(self, tag):
        if self.parts is None or tag in _VOID:
            return
        self.depth -= 1
        if self.depth == 0:
            self.found.append(_SPACES.sub(" ", "".join(self.parts)).strip(" "))
            self.parts = None

    def handle_data(self, data):
        if self.parts is not None:
            self.parts.append(data)


def texts(html: str, css_class: str) -> list[str]:
    """The text of each element with ``css_class``: tags dropped, runs of
    ASCII whitespace made one space."""
    parser = _Text(css_class)
    parser.feed(html)
    return parser.found


def text(html: str, css_class: str) -> str:
    """The text of the first element with ``css_class`` ("" if there is none)."""
    found = texts(html, css_class)
    return found[0] if found else ""
