"""Chinese text, defined once: what an ideograph is, and how text is normalised.

Used by the seed parser (a byline's names are ideographs), by search
(a run of ideographs is what gets indexed and matched), by how a colleague's
name is ordered (articles/people.py: East Asian letters) and by how lines are
joined into one (articles/share.py: text written without spaces). Depends on nothing
but the standard library, so any module may import it.

An *ideograph* is a character of a CJK Unified Ideographs block (the main
block and Extensions A to G, every one that Python's Unicode database knows:
``unicodedata.unidata_version`` is 14.0 on Python 3.11) or of the CJK
Compatibility Ideographs blocks. tests/articles/test_chinese_text.py checks
the ranges against the Unicode database, so a newer Python with a new
extension fails that test by name.
"""

import re
import unicodedata

# (first, last) code points, whole blocks: a character not yet assigned never appears.
IDEOGRAPH_BLOCKS = (
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # Compatibility Ideographs
    (0x20000, 0x2A6DF),  # Extension B
    (0x2A700, 0x2B73F),  # Extension C
    (0x2B740, 0x2B81F),  # Extension D
    (0x2B820, 0x2CEAF),  # Extension E
    (0x2CEB0, 0x2EBEF),  # Extension F
    (0x2F800, 0x2FA1F),  # Compatibility Ideographs Supplement
    (0x30000, 0x3134F),  # Extension G
)


def _character_class(blocks) -> str:
    """Blocks as the inside of a regular-expression character class."""
    return "".join(f"{chr(first)}-{chr(last)}" for first, last in blocks)


# The blocks as the inside of a regular-expression character class: f"[{IDEOGRAPHS}A-Za-z]".
IDEOGRAPHS = _character_class(IDEOGRAPH_BLOCKS)
_IDEOGRAPH = re.compile(f"[{IDEOGRAPHS}]")

# East Asian letters: the ideographs and the letters of the scripts written beside them
# (radicals and strokes, kana, bopomofo, Hangul). A personal name in these scripts is
# written family name first and without a space: 王芳, 山田はな, 김민수 (articles/people.py).
EAST_ASIAN_LETTER_BLOCKS = IDEOGRAPH_BLOCKS + (
    (0x2E80, 0x2FDF),  # CJK Radicals Supplement, Kangxi Radicals
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x31A0, 0x31FF),  # Bopomofo Extended, CJK Strokes, Katakana Phonetic Extensions
    (0xAC00, 0xD7AF),  # Hangul Syllables
)
EAST_ASIAN_LETTERS = _character_class(EAST_ASIAN_LETTER_BLOCKS)
_EAST_ASIAN_LETTER = re.compile(f"[{EAST_ASIAN_LETTERS}]")

# Text written without spaces between words: the ideographs, kana and bopomofo, and the
# punctuation and full-width forms set among them (。、「」，！？（）). Not Hangul: Korean
# puts a space between words. A line break between two of these characters is no space.
UNSPACED_BLOCKS = IDEOGRAPH_BLOCKS + (
    (0x2E80, 0x33FF),  # radicals, CJK symbols and punctuation, kana, bopomofo, strokes, enclosed and squared CJK
    (0x4DC0, 0x4DFF),  # Yijing Hexagram Symbols (between Extension A and the main block)
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
)
UNSPACED = _character_class(UNSPACED_BLOCKS)
_UNSPACED_LINE_BREAK = re.compile(rf"(?<=[{UNSPACED}])\s*\n\s*(?=[{UNSPACED}])")
_SPACES = re.compile(r"\s+")


def is_ideograph(char: str) -> bool:
    """Whether ``char`` (one character) is a Chinese ideograph."""
    return _IDEOGRAPH.fullmatch(char) is not None


def has_ideograph(text: str) -> bool:
    return _IDEOGRAPH.search(text) is not None


def has_east_asian_letter(text: str) -> bool:
    """Whether ``text`` holds an ideograph, kana, bopomofo or Hangul letter."""
    return _EAST_ASIAN_LETTER.search(text) is not None


def join_lines(text: str) -> str:
    """Text as one line: a line break between two Chinese characters (or their
    punctuation) goes, any other run of white space becomes one space.

    江门日报\n特别策划。 → 江门日报特别策划。; Jiangmen\nDaily → Jiangmen Daily."""
    return _SPACES.sub(" ", _UNSPACED_LINE_BREAK.sub("", text.strip()))


def shortened(text: str, length: int, *, mark: str = "…") -> str:
    """``text`` in at most ``length`` characters, the last of them ``mark``
    where it was cut: Django's ``Truncator(text).chars(length, truncate=mark)``
    (NFC first; a combining accent counts for nothing), which counts
    character by character in Python. Here only text with a combining
    character in its first ``length + 1`` is counted so (Chinese text has
    none): a list's thirty abstracts cost 0.12 ms instead of 0.28.
    ``mark`` is one character, not combining."""
    text = unicodedata.normalize("NFC", text) if not unicodedata.is_normalized("NFC", text) else text
    if len(text) <= length:
        return text
    if any(map(unicodedata.combining, text[: length + 1])):
        from django.utils.text import Truncator

        return Truncator(text).chars(length, truncate=mark)
    kept = text[: length - 1]
    return kept if kept.endswith(mark) else kept + mark


# NFKC's folding of full-width ASCII forms (and the ideographic space), as a table.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def normalise(text: str) -> str:
    """Full-width Latin to ASCII (ＧＤＰ → gdp), compatibility forms folded, lower case.

    The same as NFKC then casefold, but Chinese text (whose ，：；（） are
    usually the only characters NFKC changes) skips NFKC, which is slow on
    long text: search runs this over every text it indexes and every hit it shows."""
    text = text.translate(_FULL_WIDTH)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.casefold()
