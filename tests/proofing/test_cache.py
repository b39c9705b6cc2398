"""The matcher is built once and rebuilt when the lists change, in this
process (signals) and in others (the stamp of the lists in the database)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from proofing.models import CommonMistake, SensitiveWord
from proofing.services import check_texts, current_matcher, forget_matcher

pytestmark = pytest.mark.django_db


def words_in(text):
    return [(hit.word, hit.level) for hit in check_texts(body=f"<p>{text}</p>").hits]


def test_the_matcher_is_kept_and_checking_costs_two_queries(django_assert_num_queries):
    first = current_matcher()
    assert current_matcher() is first
    with django_assert_num_queries(2):  # the stamp of each list; no rebuild
        check_texts(title="标题", body="<p>正文</p>")


def test_saving_deleting_and_changing_entries_rebuilds():
    assert words_in("这里有个试验词") == []
    word = SensitiveWord.objects.create(word="试验词", level="block")
    assert words_in("这里有个试验词") == [("试验词", "block")]
    word.level = "warn"
    word.save()
    assert words_in("这里有个试验词") == [("试验词", "warn")]
    word.delete()
    assert words_in("这里有个试验词") == []
    CommonMistake.objects.create(wrong="试验错字", right="试验对字")
    assert [(h.word, h.suggestion) for h in check_texts(body="试验错字").hits] == [("试验错字", "试验对字")]


def test_another_process_change_is_seen_through_the_stamp():
    """Writes that send no signal here (another process, raw SQL) still reach the matcher."""
    SensitiveWord.objects.create(word="远程词", level="block")
    assert words_in("远程词") == [("远程词", "block")]
    later = timezone.now() + timedelta(seconds=1)
    # An edit elsewhere: no signal in this process, a newer updated_at.
    SensitiveWord.objects.filter(word="远程词").update(level="warn", updated_at=later)
    assert words_in("远程词") == [("远程词", "warn")]
    # A delete elsewhere: no signal, one row fewer.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM proofing_sensitiveword WHERE word = %s", ["远程词"])
    assert words_in("远程词") == []


def test_forgetting_rebuilds_from_the_database():
    first = current_matcher()
    forget_matcher()
    second = current_matcher()
    assert second is not first and second.size == first.size
