"""The site's addresses plus ``/bench/trivial/``: 20 KB of fixed HTML through
the whole middleware stack, the yardstick of bench/pages.py."""

from django.http import HttpResponse
from django.urls import path

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


urlpatterns = [path("bench/trivial/", trivial), *site]
