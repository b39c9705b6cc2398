"""Readable pinyin slugs made from Chinese names and titles."""

import re

from pypinyin import lazy_pinyin

MAX_SLUG_LENGTH = 80
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def pinyin_slug(text: str, *, max_length: int = MAX_SLUG_LENGTH) -> str:
    """``以“头号力度”拼出`` → ``yi-tou-hao-li-du-pin-chu``.

    One hyphen-separated syllable per Chinese character; Latin letters and
    digits are kept (lower-cased); everything else separates words. Long
    slugs are cut at a word boundary.
    """
    words = []
    for piece in lazy_pinyin(text, errors="default"):
        words.extend(word for word in _NON_SLUG.split(piece.lower()) if word)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or "untitled"


def unique_slug(base: str, *, taken) -> str:
    """``base``, or ``base-2``, ``base-3`` … the first that ``taken(slug)`` refuses."""
    slug, n = base, 1
    while taken(slug):
        n += 1
        suffix = f"-{n}"
        slug = base[: MAX_SLUG_LENGTH - len(suffix)] + suffix
    return slug
