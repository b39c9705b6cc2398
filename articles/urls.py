from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import feeds, views
from .sitemaps import SITEMAPS

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("series/<slug:slug>/", views.SeriesDetailView.as_view(), name="series-detail"),
    path("series/<slug:slug>/feed/", feeds.SeriesFeed(), name="series-feed"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("preview/<str:token>/", views.ArticlePreviewView.as_view(), name="article-preview"),
    path("contributors/<slug:slug>/", views.ContributorDetailView.as_view(), name="contributor-detail"),
    path("feeds/latest/", feeds.LatestArticlesFeed(), name="feed-latest"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
