"""A saved or deleted entry drops this process's matcher at once (other
processes notice the lists' stamp, see proofing/services.py)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CommonMistake, SensitiveWord
from .services import forget_matcher


@receiver([post_save, post_delete], sender=SensitiveWord)
@receiver([post_save, post_delete], sender=CommonMistake)
def lists_changed(**kwargs):
    forget_matcher()
