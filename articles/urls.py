from django.contrib.sitemaps import views as sitemaps
from django.urls import path, re_path

from . import feeds, views
from .sitemaps import INDEX, SITEMAPS, NewsSitemap

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("series/<slug:slug>/", views.SeriesDetailView.as_view(), name="series-detail"),
    path("series/<slug:slug>/feed/", feeds.SeriesFeed(), name="series-feed"),
    path("series/<slug:slug>/feed/atom/", feeds.SeriesAtomFeed(), name="series-feed-atom"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("preview/<str:token>/", views.ArticlePreviewView.as_view(), name="article-preview"),
    path("contributors/<slug:slug>/", views.ContributorDetailView.as_view(), name="contributor-detail"),
    # The paper's days, written as the paper dates them: /archive/2026/11/28/.
    re_path(
        r"^archive/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$", views.ArchiveMonthView.as_view(), name="archive-month"
    ),
    re_path(
        r"^archive/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/$",
        views.ArchiveDayView.as_view(),
        name="archive-day",
    ),
    path("feeds/latest/", feeds.LatestArticlesFeed(), name="feed-latest"),
    path("feeds/latest/atom/", feeds.LatestArticlesAtomFeed(), name="feed-latest-atom"),
    # The index of the sitemaps below (articles/sitemaps.py says why an index).
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": INDEX, "sitemap_url_name": "articles:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-news.xml",
        sitemaps.sitemap,
        {"sitemaps": {"news": NewsSitemap}, "template_name": "articles/sitemap_news.xml"},
        name="sitemap-news",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS, "template_name": "articles/sitemap_urlset.xml"},
        name="sitemap-section",
    ),
]
