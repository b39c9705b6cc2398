"""A real browser: Debian's chromium driven by Playwright.

``playwright install`` is never needed: the tests use the system chromium
(``apt-get install -y chromium fonts-noto-cjk``; ``.ci/run`` installs it). On
a machine without it these tests are skipped with that advice.
"""

import os
import shutil
import time

import pytest

CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = os.path.exists(CHROMIUM)
SKIP_REASON = (
    "没有找到 chromium，跳过真实浏览器测试。启用方法：apt-get install -y chromium fonts-noto-cjk"
    "（或用 NEWSROOM_CHROMIUM 指向浏览器）；.ci/run 会自动安装。"
)


def pytest_collection_modifyitems(config, items):
    if HAVE_CHROMIUM:
        return
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the Django ORM
    # calls the tests make between page actions are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def login(browser, live_server):
    """A fresh browser context (its own cookies), logged into the admin as ``username``."""
    contexts = []

    def open_as(username, password="newsroom-pass"):
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def _quiet_server_before_the_flush(request):
    """Pages left open keep talking to the live server (presence heartbeats, and
    the beacon a page sends as it closes). Close them and give the server a
    moment to answer before the test database is flushed, which SQLite refuses
    while another thread writes ("database table is locked")."""
    yield
    if "live_server" not in request.fixturenames:
        return
    for context in request.getfixturevalue("browser").contexts:
        context.close()
    time.sleep(0.3)
