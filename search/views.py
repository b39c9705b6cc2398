import logging

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import render

from articles.models import Series

from .backend import IndexOutdated
from .query import parse
from .results import SORTS, ArticleSearch

log = logging.getLogger(__name__)

PER_PAGE = 20  # unless HAYSTACK_SEARCH_RESULTS_PER_PAGE says otherwise (search/checks.py)


def series_choices(series_list: list[Series]) -> list[Series]:
    """Special issues and stand-alone series by slug, each column right after its special issue."""
    columns = {}
    for item in series_list:
        columns.setdefault(item.parent_id, []).append(item)
    return [s for top in columns.get(None, []) for s in (top, *columns.get(top.pk, []))]


def search(request):
    """/search/?q=…&series=…&sort=date&page=2 — calm for any input.

    A special issue's filter covers its columns. The search form is the
    masthead's (templates/search/search.html): one search box on the page.
    """
    query = parse(request.GET.get("q"))
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "relevance"
    series_list = list(Series.objects.order_by("slug"))
    series = next((s for s in series_list if s.slug == request.GET.get("series")), None)
    series_ids = [s.pk for s in series_list if series and series.pk in (s.pk, s.parent_id)]
    context = {
        "query": query,
        "sort": sort,
        "sorts": SORTS,
        "series": series,
        "series_list": series_choices(series_list),
    }
    number = request.GET.get("page") or 1
    try:
        per_page = getattr(settings, "HAYSTACK_SEARCH_RESULTS_PER_PAGE", PER_PAGE)
        results = ArticleSearch(query, series_ids=series_ids, sort=sort, page_size=per_page, page=number)
        page = Paginator(results, per_page).page(number)
    except InvalidPage:
        raise Http404("没有这一页") from None
    except IndexOutdated as outdated:
        log.error("search unavailable: %s", outdated)
        return render(request, "search/search.html", {**context, "unavailable": True}, status=503)
    except DatabaseError:
        raise  # the database's, not the index's: a read replica gone is read again (newsroom/db_router.py)
    except Exception:
        # A damaged or missing index must not break the page: say so, and log it for the operator.
        log.exception("search failed for %r", query.text)
        return render(request, "search/search.html", {**context, "unavailable": True}, status=503)
    return render(request, "search/search.html", {**context, "page": page, "hits": page.object_list})
