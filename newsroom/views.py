"""Project-wide views: the CSRF failure and server error pages, security.txt,
robots.txt and /favicon.ico."""

from datetime import UTC, timedelta

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_safe

from images.views import upload_error_response
from newsroom.csp import EDITOR_PATHS

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


@requires_csrf_token
def server_error(request):
    """``handler500``: the site's frame (500.html extends base.html), rendered
    without context processors: the database, or a request-dependent piece of
    the page, may be what failed. The template itself names no URL."""
    html = loader.render_to_string("500.html", {"site_name": settings.NEWSROOM_SITE_NAME})
    return HttpResponseServerError(html)


# Kept out of search engines: the newsroom's admin and editor endpoints, and
# preview links (their token is in the path, and a draft is not for the public).
ROBOTS_DISALLOW = (*EDITOR_PATHS, "/preview/")
# The sitemaps robots.txt announces: every public page, and Google News' last two days.
SITEMAP_URL_NAMES = ("articles:sitemap", "articles:sitemap-news")


@require_safe
def robots_txt(request):
    """robots.txt: keep crawlers out of the newsroom, and name the sitemaps by
    absolute URL (robots.txt requires it), on the host and scheme asked for."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines += [f"Sitemap: {request.build_absolute_uri(reverse(name))}" for name in SITEMAP_URL_NAMES]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# The site's mark, 报 in white on the accent red: favicon.svg for browsers that
# read the page's <link rel="icon">, favicon.ico (16, 32 and 48 px, drawn with
# Pillow from the same font) for those that ask for /favicon.ico regardless.
FAVICON = "articles/favicon.ico"


@require_safe
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    """/favicon.ico, served from the static files wherever they are found."""
    path = finders.find(FAVICON)
    if path is None:
        raise Http404("No favicon.")
    return FileResponse(open(path, "rb"), content_type="image/x-icon")
