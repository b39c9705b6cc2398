from django.apps import AppConfig


class ProofingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "proofing"
    verbose_name = "敏感词和错别字"

    def ready(self):
        from . import signals  # noqa: F401 - a change of the lists drops this process's matcher
