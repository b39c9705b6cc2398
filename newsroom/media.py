"""Uploaded media served by Django itself, with headers that keep a hostile
file inert.

Used locally and in development (``NEWSROOM_SERVE_MEDIA``, on when
``DJANGO_DEBUG=1``); production serves media from nginx or object storage
with the same headers (docs/security.md gives the nginx lines). Uploads are
decoded and re-encoded pictures (docs/images.md), so these headers are a
second line: whatever lies under MEDIA_ROOT,

- a raster picture is sent as that picture type, ``inline``;
- anything else (SVG, HTML, a file with a wrong or no extension) is sent as
  ``application/octet-stream``, ``attachment``: downloaded, never rendered;
- every response says ``Content-Security-Policy: default-src 'none'; sandbox``
  (even a document opened directly runs no script, loads nothing and gets a
  unique origin) and, through SecurityMiddleware, ``X-Content-Type-Options:
  nosniff``.
"""

import posixpath
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import re_path
from django.views import static

# Raster types browsers only ever decode as pictures. SVG is deliberately
# absent: it is a document that can carry script.
IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
}
MEDIA_CSP = "default-src 'none'; sandbox"


def serve_media(request, path):
    """One file under MEDIA_ROOT (404 for folders and missing files)."""
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Security-Policy"] = MEDIA_CSP
    if response.status_code != 200:  # 304 Not Modified: no body, no type
        return response
    extension = posixpath.splitext(path.lower())[1]
    if extension in IMAGE_TYPES:
        response["Content-Type"] = IMAGE_TYPES[extension]
        response["Content-Disposition"] = "inline"
    else:
        # Sent as stored: no Content-Encoding for a ".svgz" or ".html.gz" either.
        response.headers.pop("Content-Encoding", None)
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    return response


def media_urlpatterns() -> list:
    """The media URL, when this process serves media and MEDIA_URL is local."""
    if not settings.NEWSROOM_SERVE_MEDIA or urlsplit(settings.MEDIA_URL).netloc:
        return []
    prefix = settings.MEDIA_URL.lstrip("/")
    return [re_path(rf"^{re.escape(prefix)}(?P<path>.+)$", serve_media, name="media")]
