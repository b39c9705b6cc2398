from django.conf import settings


def site(request):
    """What every page's frame shows."""
    return {"site_name": settings.NEWSROOM_SITE_NAME}
