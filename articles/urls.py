from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("series/<slug:slug>/", views.SeriesDetailView.as_view(), name="series-detail"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("contributors/<slug:slug>/", views.ContributorDetailView.as_view(), name="contributor-detail"),
]
