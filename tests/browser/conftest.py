"""Browser tests: Playwright driving Debian's Chromium against a live server.

Screenshots go to a temporary folder, or to ``$LIJIAN_SCREENSHOTS`` (``make screenshots`` points it at
docs/screenshots/)."""

import base64
import os
import re
import tempfile
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests between
# browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time. With SQLite in memory every server thread
    shares the test's one connection, so two requests at once (a page's chart still loading while the
    browser opens the next page) could read each other's cursor and answer a valid request 400 by
    chance. Connections stay threaded (keep-alive), only the application is serialised; a streamed
    answer is read whole inside the lock."""

    def set_app(self, application):
        lock = threading.Lock()

        def serialised(environ, start_response):
            with lock:
                response = application(environ, start_response)
                try:
                    return list(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()

        super().set_app(serialised)


LiveServerThread.server_class = OneRequestAtATimeServer

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(os.environ.get("LIJIAN_SCREENSHOTS") or tempfile.mkdtemp(prefix="lijian-shots-"))

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API switches the thread's context, and Django's connections are context-local:
    # the tests after this see new connection objects. The database state saved at setup for serialized
    # rollback (see `page`) lives on the old ones, so it is carried over.
    saved = {a: getattr(connections[a], "_test_serialized_contents", None) for a in connections}
    with sync_playwright() as playwright:
        for alias, contents in saved.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--lang=zh-CN",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


class Page:
    """A Playwright page bound to the live server. The test fails on a script error, a CSP violation
    or a missing static file or fragment (pages themselves may answer 403/404 on purpose)."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(str(exc)))
        page.on("response", self._response)

    def _console(self, msg):
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self.problems.append(msg.text)

    def _response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"{response.status} {response.url}")

    def go(self, path: str):
        return self.page.goto(self.base_url + path)

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def login(self, username: str, password: str) -> None:
        """Log in through the page as a person would: with the authenticator's code when the account
        has one, and enrolling one (from the key shown as text) when the role requires it and the
        account has none yet."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from ..world import totp_code

        self.go("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).order_by("pk").first()
        if device is not None:
            self.page.fill("#id_otp_token", totp_code(device))
        self.page.click("button[type=submit]")
        self.page.wait_for_url(re.compile(re.escape(self.base_url) + r"/(accounts/profile/totp/.*)?$"))
        if "/accounts/profile/totp/" in self.page.url:
            self.enrol_authenticator()
        self.page.wait_for_url(self.base_url + "/")

    def enrol_authenticator(self) -> str:
        """On the enrolment page: start, read the key shown as text, enter its current code, as a
        person would with any TOTP app. Returns the key."""
        from django_otp.oath import TOTP

        self.page.click("#totp-begin")
        secret = self.page.inner_text("#totp-secret").strip()
        code = TOTP(base64.b32decode(secret)).token()
        self.page.fill("#id_token", f"{code:06d}")
        self.page.click("#totp-confirm")
        return secret


@pytest.fixture
def page(browser, live_server, django_db_serialized_rollback):
    """The live server's database is flushed after each test; serialized rollback puts back what the
    migrations seeded (skills, linkage modes, fieldwork methods) before the next one."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    wrapped = Page(context.new_page(), live_server.url)
    yield wrapped
    context.close()
    assert not wrapped.problems, wrapped.problems


@pytest.fixture
def demo_world(transactional_db):
    call_command("demo", "--without-rounds", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
