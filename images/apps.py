from django.apps import AppConfig


class ImagesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "images"
    verbose_name = "图片库"

    def ready(self):
        from . import renditions  # noqa: F401 - registers the rendition spec with imagekit
