"""A URLconf with one view that raises and nothing else: the 500 page must
render without reversing any of the site's URLs (they may be what broke)."""

from django.urls import path

from newsroom.urls import handler500  # noqa: F401  Django reads it from the URLconf


def broken(request):
    raise RuntimeError("the view failed")


urlpatterns = [path("broken/", broken)]
