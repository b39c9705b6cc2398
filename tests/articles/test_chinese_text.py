"""What a Chinese character is, stated once (articles/chinese.py), and the
seed parser and search agreeing on it."""

import sys
import unicodedata

import pytest
from django.utils.text import Truncator
from hypothesis import given
from hypothesis import strategies as st

from articles.chinese import IDEOGRAPH_BLOCKS, has_east_asian_letter, is_ideograph, join_lines, normalise, shortened
from articles.people import full_name
from articles.seeds.parser import Person, parse_text
from search.analysis import term_positions


def only_article(text: str):
    (series,) = parse_text(text, "doc.txt").series
    (article,) = series.articles
    return article


def test_every_ideograph_python_knows_is_one():
    """Fails by name when a newer Python's Unicode database adds an extension (H, I …)."""
    missed = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.name(chr(code), "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))
        and not is_ideograph(chr(code))
    ]
    assert missed == [], f"Unicode {unicodedata.unidata_version} has ideographs outside IDEOGRAPH_BLOCKS"


@pytest.mark.parametrize(
    ("char", "block"),
    [
        ("王", "unified"),
        ("㛃", "Extension A"),
        ("𠀀", "Extension B"),
        ("𪜀", "Extension C"),
        ("𫝀", "Extension D"),
        ("𫠠", "Extension E"),
        ("𬺰", "Extension F"),
        ("𰀀", "Extension G"),
        ("\uf900", "compatibility"),  # escaped: editors fold it into the unified U+8C48
        ("\U0002f800", "compatibility supplement"),  # escaped: editors fold it into U+4E3D
    ],
)
def test_ideographs_of_every_block(char, block):
    assert is_ideograph(char), block


@pytest.mark.parametrize("char", ["a", "1", "，", "（", "ア", "한", "·", "〇"])
def test_not_ideographs(char):
    assert not is_ideograph(char)


def test_blocks_do_not_overlap():
    ordered = sorted(IDEOGRAPH_BLOCKS)
    assert all(a_last < b_first for (_, a_last), (b_first, _) in zip(ordered, ordered[1:], strict=False))


def test_normalise_folds_full_width_and_case():
    assert normalise("ＧＤＰ增长５％") == "gdp增长5%"
    assert normalise("\uf900") == "\u8c48"  # a compatibility ideograph folds into its unified twin


def test_byline_with_an_extension_a_name_is_a_byline():
    article = only_article("# 栏目\n## 标题\n正文。\n\n（记者 王㛃）\n")
    assert article.bylines == [Person("王㛃", "记者")]
    assert "王㛃" not in article.body_html


def test_byline_with_an_extension_b_name_after_a_role_prefix():
    article = only_article("# 栏目\n## 标题\n正文。\n\n（记者𠮷田 通讯员 王芳）\n")
    assert article.bylines == [Person("𠮷田", "记者"), Person("王芳", "通讯员")]


def test_search_indexes_extension_characters_as_text():
    positions = term_positions("记者王㛃报道，𠮷野家")
    assert positions["㛃"] == [3]
    assert positions["𠮷"] == [7]


# --- the same ideographs in colleagues' names and in one-line text ----------------------------


@pytest.mark.parametrize(
    ("first_name", "last_name", "shown"),
    [
        ("芳", "王", "王芳"),
        ("芳", "𠀀", "𠀀芳"),  # Extension B
        ("𰀀", "王", "王𰀀"),  # Extension G
        ("芳", "\uf900", "\uf900芳"),  # compatibility
        ("芳", "\U0002f800", "\U0002f800芳"),  # compatibility supplement
        ("はな", "山田", "山田はな"),  # kana
        ("민수", "김", "김민수"),  # Hangul
        ("Ada", "Lovelace", "Ada Lovelace"),
    ],
)
def test_every_east_asian_name_is_family_name_first(first_name, last_name, shown):
    assert full_name(first_name, last_name) == shown


def test_every_ideograph_is_an_east_asian_letter():
    assert all(
        has_east_asian_letter(chr(first)) and has_east_asian_letter(chr(last)) for first, last in IDEOGRAPH_BLOCKS
    )
    assert not has_east_asian_letter("Ada，（·）1")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("江门日报\n特别策划。", "江门日报特别策划。"),
        ("江门\n𠀀字", "江门𠀀字"),  # Extension B
        ("𠀀\n 𠀀", "𠀀𠀀"),
        ("\U0002f800\n\uf900", "\U0002f800\uf900"),  # compatibility supplement, compatibility
        ("报道。\n（记者 王芳）", "报道。（记者 王芳）"),  # punctuation among Chinese
        ("Jiangmen\nDaily", "Jiangmen Daily"),
        ("江门\nDaily", "江门 Daily"),
        ("한국\n사람", "한국 사람"),  # Korean puts spaces between words
        ("  江门  日报 \n ", "江门 日报"),
    ],
)
def test_join_lines(text, line):
    assert join_lines(text) == line


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        ("江门日报特别策划", 8, "江门日报特别策划"),  # fits: untouched
        ("江门日报特别策划", 5, "江门日报…"),  # cut: the mark is the fifth character
        ("江门日报…特别策划", 6, "江门日报…"),  # cut just after a mark: not doubled
        ("cafe\u0301s", 5, "café" + "s"),  # composed (NFC): five characters fit
        ("ae\u0308\u0301io", 3, "aë\u0301…"),  # an accent with no composed form counts for nothing
    ],
)
def test_shortened_cuts_as_the_paper_shows_it(text, length, expected):
    assert shortened(text, length) == expected


@given(
    text=st.text(alphabet=st.sampled_from(["江", "门", "a", "e", "\u0301", "\u0308", "…", "，", " ", "Å", "ﬁ"])),
    length=st.integers(min_value=1, max_value=12),
)
def test_shortened_is_djangos_truncator(text, length):
    assert shortened(text, length) == Truncator(text).chars(length, truncate="…")
