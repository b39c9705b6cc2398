"""HTML written in Python by the template tags that print on every page
(bylines, credits, share tags): escaping as Django's ``conditional_escape``
does, at a third of its cost (it returns a plain ``str``, not a ``SafeString``;
the tag marks its whole output safe once)."""

from html import escape


def escaped(value) -> str:
    """``value`` escaped for HTML text or an attribute, unless it is already
    HTML (has ``__html__``: search marks its matches in names)."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))
