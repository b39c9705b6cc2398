from django.db import models

from articles.slugs import pinyin_slug, unique_slug


class PinyinSlugged(models.Model):
    """Fills an empty ``slug`` with unique readable pinyin of ``slug_source``."""

    slug_source = "name"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            siblings = type(self)._default_manager.exclude(pk=self.pk)
            self.slug = unique_slug(
                pinyin_slug(getattr(self, self.slug_source)), taken=lambda s: siblings.filter(slug=s).exists()
            )
        super().save(*args, **kwargs)
