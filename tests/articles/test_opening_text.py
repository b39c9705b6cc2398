"""An abstract's text read from the start of the body only (articles/text.py):
the same characters as converting the whole, on any HTML."""

import re
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from articles.chinese import shortened
from articles.models.articles import ABSTRACT_LENGTH
from articles.text import html_to_text, opening_text, without_cut_markup

# What abstracts were made with before (commit 52696e2 and earlier).
CUT_TAG_OR_ENTITY = re.compile(r"<[^>]*\Z|&#?\w*\Z")

PIECES = st.sampled_from(
    [
        *("江门日报", "“百千万工程”", "，", "。", "Jiangmen Daily", " ", "  ", "\n", "\u3000", "e\u0301", "\u0301"),
        *("<p>", "</p>", "<br>", "<h2>", "</h2>", "<b>", "</b>", '<a href="/x?a=1&amp;b=2">', "</a>"),
        *('<img src="/media/a.jpg" alt="图">', '<p title="' + "x" * 90 + '">', "<figure>", "<figcaption>"),
        *("&amp;", "&lt;", "&gt;", "&#12288;", "&nbsp;", "&amp", "&", "<", ">", "<!-- 注 -->"),
        *("<script>alert(1)</script>", "<style>p{}</style>", "<script>", "</script>"),
    ]
)
HTML = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=200).map("".join)


@given(html=HTML)
@example(html="甲&amp")
@example(html="a<b>c&#12")
@example(html="<p>文<a href='x&am")
@example(html="x&amp<b")
def test_cut_markup_goes_as_the_regular_expression_took_it(html):
    assert without_cut_markup(html) == CUT_TAG_OR_ENTITY.sub("", html)


@given(html=HTML, length=st.integers(min_value=1, max_value=160))
@settings(max_examples=500)
def test_the_opening_text_is_the_whole_texts_start(html, length):
    whole = html_to_text(html).replace("\n", "")
    assert opening_text(html, length)[:length] == whole[:length]


@given(html=HTML)
@settings(max_examples=300)
@example(html="<p>" + "江门日报社出品。" * 80 + "</p>")
@example(html="<p>江江</p><script>" + "代码" * 300 + "</script><p>" + "文" * 300 + "</p>")
@example(html="<p>" + "江" * 150 + "e\u0301" * 30 + "</p>")
@example(html="<p>" + "e\u0301" * 400 + "</p>")
@example(html="<p>" + "江" * 110 + "\u302a" * 60 + "江" * 200 + "</p>")
def test_an_abstract_is_what_it_was(html):
    """Article.abstract's text, read as before (the whole opening converted)."""
    before = shortened(html_to_text(html).replace("\n", ""), ABSTRACT_LENGTH)
    assert shortened(opening_text(html, ABSTRACT_LENGTH + 1), ABSTRACT_LENGTH) == before


def test_a_long_opening_is_read_from_its_start_only():
    """The point of it: the text after the window is never converted."""
    html = "<p>" + "江门日报社出品。" * 30 + "</p>" + "<p>尾巴</p>" * 500
    whole = html_to_text(html).replace("\n", "")
    text = opening_text(html, ABSTRACT_LENGTH + 1)
    assert len(whole) > 1000 and len(text) < 4 * ABSTRACT_LENGTH
    assert text[:ABSTRACT_LENGTH] == whole[:ABSTRACT_LENGTH]


def test_the_scripts_read_from_a_window_have_no_combining_marks():
    from articles.text import _WITHOUT_COMBINING_MARKS

    ranges = re.findall(r"(.)-(.)", _WITHOUT_COMBINING_MARKS.pattern)
    characters = [chr(code) for low, high in ranges for code in range(ord(low), ord(high) + 1)]
    marked = [f"U+{ord(c):04X}" for c in characters if unicodedata.combining(c)]
    assert len(ranges) == 8 and marked == []
