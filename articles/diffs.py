"""Show what changed between two texts, character by character (Chinese has
no spaces to split words on), as HTML with <ins> and <del>."""

from difflib import SequenceMatcher
from html import escape

from django.utils.safestring import SafeString, mark_safe


def inline_diff(old: str, new: str) -> SafeString:
    """Lines first, then characters inside the lines that changed."""
    out: list[str] = []
    old_lines, new_lines = old.splitlines(), new.splitlines()
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if op == "equal":
            out += [escape(line) for line in old_lines[i1:i2]]
        elif op == "replace" and i2 - i1 == j2 - j1:
            out += [_char_diff(a, b) for a, b in zip(old_lines[i1:i2], new_lines[j1:j2], strict=True)]
        else:
            out += [f"<del>{escape(line)}</del>" for line in old_lines[i1:i2]]
            out += [f"<ins>{escape(line)}</ins>" for line in new_lines[j1:j2]]
    return mark_safe("<br>".join(out))  # noqa: S308 - every piece of text above is escaped


def _char_diff(old: str, new: str) -> str:
    pieces = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            pieces.append(f"<del>{escape(old[i1:i2])}</del>")
        if op in ("insert", "replace"):
            pieces.append(f"<ins>{escape(new[j1:j2])}</ins>")
        if op == "equal":
            pieces.append(escape(old[i1:i2]))
    return "".join(pieces)
