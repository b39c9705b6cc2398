from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "bench.peer_wagtail.news"
    label = "news"
    default_auto_field = "django.db.models.BigAutoField"
