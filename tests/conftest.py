from pathlib import Path

import pytest

from tests.helpers.repo import REAL_SEED


@pytest.fixture
def real_seed() -> Path:
    return REAL_SEED


@pytest.fixture
def write_seed(tmp_path):
    """Write a seed document (text or bytes) into a temporary folder and return its path."""

    def write(content: str | bytes, name: str = "doc.txt") -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return path

    return write


class Staff:
    """One account per newsroom role, plus a second reporter and a superuser."""

    def __init__(self):
        from tests.factories import UserFactory

        self.reporter = UserFactory(username="reporter", first_name="李明", roles=["记者"])
        self.other_reporter = UserFactory(username="reporter2", first_name="王芳", roles=["记者"])
        self.editor = UserFactory(username="editor", first_name="陈编辑", roles=["编辑"])
        self.desk_head = UserFactory(username="deskhead", first_name="黄主任", roles=["部门主任"])
        self.chief = UserFactory(username="chief", first_name="张总编", roles=["总编辑"])
        self.superuser = UserFactory(username="root", is_superuser=True)

    def roles(self):
        return {
            "记者": self.reporter,
            "编辑": self.editor,
            "部门主任": self.desk_head,
            "总编辑": self.chief,
            "超级用户": self.superuser,
        }


@pytest.fixture
def staff(db):
    return Staff()


@pytest.fixture
def client_for(client):
    """A test client logged in as the given user."""
    from django.test import Client

    def make(user):
        logged_in = Client()
        logged_in.force_login(user)
        return logged_in

    return make


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_out_of_the_way(settings, tmp_path_factory):
    """Tests never write uploads or renditions into var/ (``media`` gives a
    test a folder of its own)."""
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


@pytest.fixture
def media(settings, tmp_path):
    """An empty media folder for this test (MEDIA_ROOT), as a Path."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture(autouse=True, scope="session")
def _search_index_out_of_the_way(tmp_path_factory):
    """Tests never touch var/: the index lives in a temporary folder, and live
    index updates are off except where a test asks for ``search_index``."""
    from django.apps import apps
    from haystack import connections

    info = connections.connections_info["default"]
    original = dict(info)
    info.update(PATH=str(tmp_path_factory.mktemp("search") / "index"), BUILD_PROCS=1, BUILD_MEMORY_MB=128)
    connections.reload("default")
    apps.get_app_config("haystack").signal_processor.teardown()
    yield
    info.clear()
    info.update(original)
    # haystack's update_index logs multiprocessing to the stderr pytest captured (now closed).
    import multiprocessing.util

    multiprocessing.util.get_logger().handlers.clear()


@pytest.fixture
def search_index(tmp_path):
    """A fresh, empty search index kept current by the live signal processor."""
    from django.apps import apps
    from haystack import connections

    info = connections.connections_info["default"]
    previous = info["PATH"]
    info["PATH"] = str(tmp_path / "index")
    connections.reload("default")
    processor = apps.get_app_config("haystack").signal_processor
    processor.setup()
    yield connections["default"].get_backend()
    processor.teardown()
    info["PATH"] = previous
    connections.reload("default")


@pytest.fixture(autouse=True)
def page_cache(settings, tmp_path):
    """Pages are cached in every test, as in production (pagecache/), each test
    with its own content version and an empty cache: a test that reads a page,
    changes something and reads it again fails if the change does not reach
    the page. A test's change of settings counts as a change of content."""
    from django.core.cache import caches
    from django.test.signals import setting_changed
    from django.utils import timezone

    from newsroom.cache import CacheUnavailable
    from pagecache import version

    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_PAGE_CACHE_STAMP = tmp_path / "page-cache-version"
    caches["pages"].clear()
    # The test database starts without articles, so without scheduled times.
    version.store().write(version.Stamp.new(now=timezone.now().timestamp()).dumps())

    def touch(**kwargs):
        try:
            version.touch()
        except CacheUnavailable:
            pass  # the test points the caches at a Redis that is down (tests/newsroom/test_redis.py)

    setting_changed.connect(touch, weak=False, dispatch_uid="tests-page-cache")
    yield
    setting_changed.disconnect(dispatch_uid="tests-page-cache")


@pytest.fixture
def two_editors(client_for):
    """Two editors, 陈编辑 and 林编辑, each logged in on a client of their own."""
    from tests.factories import UserFactory

    chen = UserFactory(username="chen", first_name="陈编辑", roles=["编辑"])
    lin = UserFactory(username="lin", first_name="林编辑", roles=["编辑"])
    return client_for(chen), client_for(lin)
