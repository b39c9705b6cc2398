"""Project-wide views: the CSRF failure page and security.txt."""

from datetime import UTC, timedelta

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from images.views import upload_error_response

# The editor's upload endpoint (django-ckeditor's URL name, kept by images/).
UPLOAD_URL_NAME = "ckeditor_upload"
CSRF_UPLOAD_MESSAGE = "页面的安全校验已失效（CSRF），图片没有上传。请先复制还没保存的文字，刷新页面后再试。"


def wants_json(request) -> bool:
    """An editor upload, or a script that asked for JSON: answer in CKEditor's
    upload-response shape rather than with a page the editor cannot show."""
    match = getattr(request, "resolver_match", None)
    return (
        (match is not None and match.url_name == UPLOAD_URL_NAME)
        or "application/json" in request.headers.get("Accept", "")
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
    )


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a Chinese page, or JSON for the editor's uploads."""
    if wants_json(request):
        return upload_error_response(CSRF_UPLOAD_MESSAGE, 403)
    return render(request, "403_csrf.html", {"reason": reason if settings.DEBUG else ""}, status=403)


@require_GET
def security_txt(request):
    """RFC 9116 security.txt, when the operator has set a contact."""
    contact = settings.NEWSROOM_SECURITY_CONTACT
    if not contact:
        raise Http404("No security contact configured.")
    if "@" in contact and ":" not in contact:
        contact = f"mailto:{contact}"
    # Written from the live configuration, so it is as current as the contact itself.
    expires = (timezone.now() + timedelta(days=180)).replace(microsecond=0)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: zh, en",
        f"Canonical: {request.build_absolute_uri()}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
