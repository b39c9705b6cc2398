from django.urls import path

from . import views

# django-ckeditor's URL names, un-namespaced: the editor's configuration
# (articles/editor.py) finds the uploader by them. Mounted under editor/.
urlpatterns = [
    path("upload/", views.upload, name="ckeditor_upload"),
    path("browse/", views.browse, name="ckeditor_browse"),
]
