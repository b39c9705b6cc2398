"""The one reading of Django's private on-commit list (newsroom/on_commit.py)."""

import pytest
from django.db import transaction

from newsroom.on_commit import is_waiting

pytestmark = pytest.mark.django_db(transaction=True)


def callback():
    pass


def test_djangos_on_commit_list_still_has_the_shape_we_read():
    with transaction.atomic():
        transaction.on_commit(callback)
        entries = transaction.get_connection().run_on_commit
        assert len(entries) == 1 and len(entries[0]) == 3 and entries[0][1] is callback


def test_a_callback_is_waiting_until_commit_and_not_after_a_rolled_back_savepoint():
    assert not is_waiting(callback)  # no transaction
    with transaction.atomic():
        assert not is_waiting(callback)
        with transaction.atomic():
            transaction.on_commit(callback)
            assert is_waiting(callback)
            transaction.set_rollback(True)
        assert not is_waiting(callback)  # its savepoint was rolled back
    assert not is_waiting(callback)
