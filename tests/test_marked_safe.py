"""Only cleaned or escaped HTML is ever marked safe.

Templates never use ``|safe`` (or switch autoescaping off); the article body
reaches them already cleaned, as ``body_html``. In Python, ``mark_safe`` is
applied to a string literal, or in one of the few functions listed here,
each of which cleans or escapes everything it marks. A new ``mark_safe`` on
anything else fails this test until someone has looked at it.
"""

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CODE_DIRS = ["articles", "images", "newsroom", "search"]
TEMPLATE_DIRS = [REPO / "templates", *(REPO / d / "templates" for d in CODE_DIRS)]

# (file, function) → why what it marks safe is safe.
MARKS_SAFE = {
    ("articles/richtext.py", "render_body"): "the body, cleaned against the allow-list on the line before",
    ("articles/diffs.py", "inline_diff"): "pieces of text each escaped by _char_diff or escape()",
    ("search/highlight.py", "snippet"): "escaped text with <mark>s, built by _render",
    ("search/highlight.py", "_render"): "every piece of text escaped before joining",
    ("articles/templatetags/share_tags.py", "json_ld"): "JSON with <, > and & escaped as \\u003C…, as json_script",
    ("articles/templatetags/share_tags.py", "share_meta"): "values escaped (articles/markup.py), json_ld its own",
    ("articles/templatetags/byline_tags.py", "byline_html"): "names and roles escaped (articles/markup.py)",
    ("articles/templatetags/byline_tags.py", "credits"): "names and roles escaped (articles/markup.py)",
    ("articles/templatetags/time_tags.py", "time_tag"): "the class, ISO form and text escaped (articles/markup.py)",
    ("articles/templatetags/teaser_tags.py", "teasers"): "every field escaped (articles/markup.py), the tags' own HTML",
}
UNSAFE_TEMPLATE = re.compile(r"\|\s*safe\b|\|\s*safeseq\b|{%\s*autoescape\s+off\s*%}")


def _marks(path: Path):
    """(function, line) of every mark_safe/SafeString call whose argument is not a literal."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]:
        for call in ast.walk(function):
            if not isinstance(call, ast.Call):
                continue
            name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
            if name not in ("mark_safe", "SafeString") or not call.args:
                continue
            if isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
                continue
            yield function.name, call.lineno


def test_templates_never_mark_anything_safe():
    offenders = [
        f"{path.relative_to(REPO)}:{n}"
        for folder in TEMPLATE_DIRS
        if folder.exists()
        for path in folder.rglob("*.html")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if UNSAFE_TEMPLATE.search(line)
    ]
    assert offenders == []


def test_python_marks_safe_only_what_it_has_cleaned_or_escaped():
    found = {
        (str(path.relative_to(REPO)), function)
        for folder in CODE_DIRS
        for path in (REPO / folder).rglob("*.py")
        if "migrations" not in path.parts
        for function, _line in _marks(path)
    }
    assert found - set(MARKS_SAFE) == set(), "mark_safe on something not known to be clean"
    assert set(MARKS_SAFE) - found == set(), "an entry here no longer marks anything: remove it"


def test_the_article_template_shows_the_cleaned_body_only():
    template = (REPO / "templates/articles/article_detail.html").read_text()
    assert "{{ body_html }}" in template
    assert "article.body" not in template
