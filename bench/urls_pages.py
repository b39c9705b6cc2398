"""The site's addresses plus ``/bench/trivial/``: 20 KB of fixed HTML through
the whole middleware stack, the yardstick of bench/pages.py; and
``/bench/sql-only/<page>/``: a page's own SQL, replayed, then the same HTML."""

import json
from functools import cache

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse
from django.urls import path

from bench.pages import STATEMENTS_FILE
from newsroom.urls import urlpatterns as site

_PARAGRAPH = "<p>江门日报讯 这是一段固定的文字，用来衡量一个什么都不做的 Django 视图。</p>\n"
TRIVIAL_HTML = (
    '<!DOCTYPE html>\n<html lang="zh-Hans"><head><meta charset="utf-8"><title>trivial</title></head><body>\n'
    + _PARAGRAPH * (20 * 1024 // len(_PARAGRAPH.encode()))
    + "</body></html>\n"
)


def trivial(request):
    # Never kept by the page cache (private): the same work in every phase of the bench.
    return HttpResponse(TRIVIAL_HTML, headers={"Cache-Control": "private"})


def sql_only(request, page):
    """The statements the page ``page`` ran, run again with their rows
    fetched, then the trivial view's HTML: how fast that page could be served
    if everything but its database work cost nothing (its ceiling)."""
    statements = recorded().get(page)  # bench/pages.py records them (--worker statements)
    if statements is None:
        raise Http404(page)
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()
    return trivial(request)


@cache
def recorded() -> dict:
    return json.loads((settings.DATA_DIR / STATEMENTS_FILE).read_text())


urlpatterns = [path("bench/trivial/", trivial), path("bench/sql-only/<slug:page>/", sql_only), *site]
