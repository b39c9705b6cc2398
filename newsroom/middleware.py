"""Bad input that no view should see: a 400 page in Chinese, early.

PostgreSQL's text columns cannot store the NUL character (``\\x00``): a NUL
in a comment, a filter or a search term reaches the database as a DataError,
a 500. No person types one, so a request that carries one, in its path, in a
GET or POST parameter's name or value, in an uploaded file's name or in a
cookie, is answered here with the site's 400 page, before any view, form or
query runs (docs/security.md, "Bad input").
"""

from django.http import HttpResponseBadRequest
from django.template import loader

# The characters PostgreSQL text cannot hold. (SQLite can; the rule is the same on both.)
UNSTORABLE = "\x00"
MESSAGE = "请求里有无法处理的字符（NUL，\\x00）。请检查网址或填写的内容后重试。"


def has_unstorable(text: str) -> bool:
    return any(char in text for char in UNSTORABLE)


def _request_texts(request):
    yield request.path
    yield from request.COOKIES.keys()
    yield from request.COOKIES.values()
    for name, values in request.GET.lists():
        yield name
        yield from values
    if request.method == "POST":
        for name, values in request.POST.lists():
            yield name
            yield from values
        for name, files in request.FILES.lists():
            yield name
            yield from (upload.name or "" for upload in files)


def bad_request(message: str = MESSAGE) -> HttpResponseBadRequest:
    """The site's 400 page with ``message``, rendered without the request's
    context processors (the request is what is wrong)."""
    html = loader.render_to_string("400.html", {"message": message})
    return HttpResponseBadRequest(html)


class BadInputMiddleware:
    """Answers a request carrying a character PostgreSQL cannot store with a 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(has_unstorable(text) for text in _request_texts(request)):
            return bad_request()
        return self.get_response(request)
