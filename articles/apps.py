from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "采编"

    def ready(self):
        from . import revisions  # noqa: F401 - registers the models with django-reversion
