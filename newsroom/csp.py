"""Content-Security-Policy: strict for readers, relaxed for CKEditor only.

The readers' policy is ``CONTENT_SECURITY_POLICY`` in settings: everything
from this origin, no inline script or style, no ``eval``, no plugins, no
framing. This middleware (django-csp's, through its ``get_policy_parts`` hook)
adds two things to it:

- the hosts pictures may come from besides this site (the media host when
  ``MEDIA_URL`` is on another host, and ``NEWSROOM_IMAGE_HOSTS``, the hosts the
  body allow-list accepts), so the policy and the allow-list agree;
- on staff pages where CKEditor 4 runs (``EDITOR_PATHS``), the relaxations in
  ``EDITOR_DIRECTIVES``, each needed by CKEditor 4 and nothing more (checked
  in a real browser by ``tests/browser/test_csp_in_browser.py``).

docs/security.md explains both policies.
"""

from urllib.parse import urlsplit

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

# The admin and the editor's upload and browse endpoints (mounted by newsroom/urls.py;
# tests/newsroom/test_csp.py fails if they move out from under these).
EDITOR_PATHS = ("/admin/", "/editor/")

EDITOR_DIRECTIVES = {
    # CKEditor 4 draws its toolbar, menus and dialogs as HTML strings with inline
    # event handlers (onclick="CKEDITOR.tools.callFunction(12,this)") and starts
    # its editing frame with an inline <script>. The numbers change from page to
    # page, so neither hashes nor nonces can cover them. No 'unsafe-eval': CKEditor
    # 4 does not use eval or new Function.
    "script-src": [SELF, UNSAFE_INLINE],
    # The same HTML strings carry style attributes, and the editing frame gets
    # <style> elements (CKEDITOR.addCss); django-ckeditor's widget has one too.
    "style-src": [SELF, UNSAFE_INLINE],
    # A pasted or dropped picture is shown from a data: URL while it uploads,
    # and widgets (image2's captioned figures) use a data: drag handle.
    "img-src": [SELF, "data:"],
}


def is_editor_path(path: str) -> bool:
    return path.startswith(EDITOR_PATHS)


def image_sources() -> list[str]:
    """Where pictures may come from besides this origin: the media host when
    ``MEDIA_URL`` is absolute, and the hosts in ``NEWSROOM_IMAGE_HOSTS``."""
    sources = []
    media = urlsplit(settings.MEDIA_URL)
    if media.netloc:
        sources.append(f"{media.scheme}://{media.netloc}" if media.scheme else media.netloc)
    # A bare host: the page's scheme (https in production), never http: on an https page.
    sources.extend(getattr(settings, "NEWSROOM_IMAGE_HOSTS", ()))
    return sources


def _merged(first: dict | None, second: dict) -> dict:
    merged = dict(first or {})
    for directive, sources in second.items():
        merged[directive] = [*sources, *merged.get(directive, ())]
    return merged


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the editor relaxations and the picture hosts."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        hosts = image_sources()
        if is_editor_path(request.path_info):
            editor = {**EDITOR_DIRECTIVES, "img-src": [*EDITOR_DIRECTIVES["img-src"], *hosts]}
            # A view's own @csp_replace still has the last word.
            parts.replace = {**editor, **(parts.replace or {})}
        elif hosts:
            parts.update = _merged(parts.update, {"img-src": hosts})
        return parts
