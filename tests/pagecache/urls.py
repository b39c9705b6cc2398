"""The site's addresses plus a few test-only views, to see what the page cache keeps."""

import itertools

from django.http import HttpResponse, StreamingHttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.vary import vary_on_headers

from newsroom.urls import urlpatterns as site

_calls = itertools.count()


def counter(request):
    """A different body on every call: a cached copy is easy to tell."""
    return HttpResponse(f"<p>call {next(_calls)}</p>")


def sets_cookie(request):
    response = counter(request)
    response.set_cookie("reader", "1")
    return response


urlpatterns = [
    path("test/counter/", counter),
    path("test/cookie/", sets_cookie),
    path("test/private/", never_cache(counter)),
    path("test/vary-user-agent/", vary_on_headers("User-Agent")(counter)),
    path("test/not-found/", lambda request: HttpResponse(f"{next(_calls)}", status=404)),
    path("test/redirect/", lambda request: HttpResponse(f"{next(_calls)}", status=302, headers={"Location": "/"})),
    path("test/streaming/", lambda request: StreamingHttpResponse([f"{next(_calls)}"])),
    *site,
]
