"""Login throttling (django-axes, newsroom/login_throttle.py): five failures for
a user name or from an address, then a cool-off, said in Chinese on the admin
login page; an editor unlocks by deleting the attempts in the admin."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "correct horse 电池"


@pytest.fixture
def reporter(db):
    user = UserFactory(username="lilei", first_name="李雷", roles=["记者"])
    user.set_password(PASSWORD)
    user.save()
    return user


def attempt(client, username, password, address="203.0.113.5", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address, **headers
    )


def fail(client, username, times, address="203.0.113.5"):
    for _ in range(times):
        attempt(client, username, "wrong", address)


def is_logged_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_the_right_password_logs_in(reporter):
    assert is_logged_in(attempt(Client(), "lilei", PASSWORD))


def test_after_five_failures_even_the_right_password_is_refused_in_chinese(reporter):
    client = Client()
    for _ in range(4):
        assert attempt(client, "lilei", "wrong").status_code == 200  # the ordinary "wrong password" form
    # A fifth failure locks: the limit is five, not more.
    response = attempt(client, "lilei", "wrong")
    assert response.status_code == 429
    response = attempt(client, "lilei", PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    html = response.content.decode()
    assert "登录失败次数过多" in html and "15 分钟" in html and "访问尝试" in html
    assert 'id="login-form"' in html  # the admin's login page, not a bare text page
    assert "Account locked" not in html and "too many" not in html.lower()
    assert "_auth_user_id" not in client.session


def test_four_failures_then_the_right_password_still_logs_in(reporter):
    client = Client()
    fail(client, "lilei", 4)
    assert is_logged_in(attempt(client, "lilei", PASSWORD))


def test_the_user_name_is_locked_from_any_address(reporter):
    fail(Client(), "lilei", 5, address="203.0.113.5")
    assert attempt(Client(), "lilei", PASSWORD, address="198.51.100.7").status_code == 429


def test_the_address_is_locked_for_any_user_name(reporter, db):
    for n in range(5):
        attempt(Client(), f"guess{n}", "wrong", address="203.0.113.5")
    assert attempt(Client(), "lilei", PASSWORD, address="203.0.113.5").status_code == 429
    # Someone else, elsewhere, is not affected.
    assert is_logged_in(attempt(Client(), "lilei", PASSWORD, address="198.51.100.7"))


def test_the_lock_lifts_after_the_cool_off(reporter):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        fail(Client(), "lilei", 5)
        assert attempt(Client(), "lilei", PASSWORD).status_code == 429
    with time_machine.travel(now + timedelta(minutes=14), tick=False):
        assert attempt(Client(), "lilei", PASSWORD).status_code == 429
    with time_machine.travel(now + timedelta(minutes=31), tick=False):
        assert is_logged_in(attempt(Client(), "lilei", PASSWORD))


def test_a_superuser_unlocks_in_the_admin_in_chinese(reporter, client_for):
    fail(Client(), "lilei", 5)
    assert attempt(Client(), "lilei", PASSWORD).status_code == 429
    admin = client_for(UserFactory(username="root", is_superuser=True))
    page = admin.get("/admin/axes/accessattempt/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "访问尝试" in html and "失败次数" in html and "lilei" in html
    assert "Access attempts" not in html and "Failed Logins" not in html
    assert "登录限制" in admin.get("/admin/").content.decode()  # the app's name in the app list
    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    response = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert is_logged_in(attempt(Client(), "lilei", PASSWORD))


def test_an_editor_without_the_axes_permissions_cannot_see_the_attempts(staff, client_for):
    assert client_for(staff.reporter).get("/admin/axes/accessattempt/").status_code == 403


def test_forwarded_for_is_ignored_unless_a_proxy_is_configured(reporter, settings):
    # Without NEWSROOM_PROXY_COUNT a client cannot pick the address it is counted under.
    for n in range(5):
        attempt(Client(), f"guess{n}", "wrong", address="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert attempt(Client(), "lilei", PASSWORD, address="10.0.0.1").status_code == 429


def test_behind_one_proxy_the_address_it_appended_counts(reporter, settings):
    settings.NEWSROOM_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    # The attacker forges the left part of the header; nginx appends the real address.
    for n in range(5):
        attempt(Client(), f"guess{n}", "wrong", address=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9")
    assert attempt(Client(), "lilei", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # Another reader behind the same proxy is not locked out.
    assert is_logged_in(attempt(Client(), "lilei", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7"))
