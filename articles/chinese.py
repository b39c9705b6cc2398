"""Chinese text, defined once: what an ideograph is, and how text is normalised.

Used by the seed parser (a byline's names are ideographs) and by search
(a run of ideographs is what gets indexed and matched). Depends on nothing
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

# The blocks as the inside of a regular-expression character class: f"[{IDEOGRAPHS}A-Za-z]".
IDEOGRAPHS = "".join(f"{chr(first)}-{chr(last)}" for first, last in IDEOGRAPH_BLOCKS)
_IDEOGRAPH = re.compile(f"[{IDEOGRAPHS}]")


def is_ideograph(char: str) -> bool:
    """Whether ``char`` (one character) is a Chinese ideograph."""
    return _IDEOGRAPH.fullmatch(char) is not None


def has_ideograph(text: str) -> bool:
    return _IDEOGRAPH.search(text) is not None


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
