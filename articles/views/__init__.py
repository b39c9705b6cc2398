"""Public pages, one module per kind of page. Every list is built on
``Article.objects.published()`` and each page hands its template everything
it shows, so a page costs a fixed number of queries however many articles,
series, authors or credits it lists (tests/articles/test_public_pages.py
pins each number)."""

from .archive import ArchiveDayView, ArchiveMonthView
from .article_page import ArticleDetailView, ArticlePreviewView
from .contributor_page import ContributorDetailView
from .home import HomeView
from .series_page import SeriesDetailView

__all__ = [
    "ArchiveDayView",
    "ArchiveMonthView",
    "ArticleDetailView",
    "ArticlePreviewView",
    "ContributorDetailView",
    "HomeView",
    "SeriesDetailView",
]
