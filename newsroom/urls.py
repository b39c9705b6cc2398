from django.contrib import admin
from django.urls import include, path

from newsroom import health, views
from newsroom.media import media_urlpatterns

admin.site.site_header = "Newsroom 编辑部"
admin.site.site_title = "Newsroom 编辑部"
admin.site.index_title = "采编管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The editor's picture upload and library (django-ckeditor's URL names).
    path("editor/", include("images.urls")),
    path("", include("search.urls")),
    path("", include("articles.urls")),
    path(".well-known/security.txt", views.security_txt, name="security-txt"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    # For load balancers and monitors (newsroom/health.py, docs/operations.md).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

# The 500 page in the site's frame, without context processors or the database.
handler500 = "newsroom.views.server_error"

# Uploaded media, when this process serves them (NEWSROOM_SERVE_MEDIA), with safe headers.
urlpatterns += media_urlpatterns()
