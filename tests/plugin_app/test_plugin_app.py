"""Adding an app touches no file in core: the plugin app (this folder) registers a router, a daily
step, a menu entry and a panel on an organisation's page from its ``ready()``, and each shows up."""

import datetime
import io
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import clear_url_caches, reverse

import lijian.core
from lijian.accounts.choices import Role
from lijian.core.api import ROUTERS
from lijian.core.audit import ACTION_LABELS, action_label
from lijian.core.daily import STEPS, daily_run
from lijian.core.messages import DIGEST_PARTS, KIND_BY_PREFIX
from lijian.core.models import AuditEvent, Message
from lijian.core.reference import TABLES
from lijian.core.registry import HOME, MENU, PANELS, registries_snapshot

from ..world import make_user
from . import content

ON = datetime.date(2024, 8, 1)


@pytest.fixture
def plugin():
    """The site with the plugin app installed; afterwards the registries are as they were."""
    saved = registries_snapshot(MENU, PANELS, HOME, STEPS, ROUTERS, TABLES, DIGEST_PARTS)
    kinds, labels = dict(KIND_BY_PREFIX), dict(ACTION_LABELS)
    apps = [*settings.INSTALLED_APPS, "tests.plugin_app"]
    try:
        with override_settings(INSTALLED_APPS=apps, ROOT_URLCONF="tests.plugin_app.urls"):
            yield
    finally:
        saved.restore()
        KIND_BY_PREFIX.clear()
        KIND_BY_PREFIX.update(kinds)
        ACTION_LABELS.clear()
        ACTION_LABELS.update(labels)
        sys.modules.pop("tests.plugin_app.urls", None)  # its API holds the plugin's router
        clear_url_caches()


def test_no_file_in_core_names_the_plugin():
    core = Path(lijian.core.__file__).parent
    assert not [p for p in core.rglob("*") if p.is_file() and b"plugin_app" in p.read_bytes()]


def test_its_router_answers_under_the_api(plugin, client, world):
    assert client.get("/api/plugin/ping").status_code == 401  # the API's own permission check
    liaison = world.users[Role.LIAISON]
    client.force_login(liaison)
    answer = client.get(reverse("api:plugin_ping"))
    assert answer.status_code == 200 and answer.json() == {"plugin": "pong", "user": liaison.username}
    assert client.get("/api/orgs/").status_code == 200  # the apps' routers are still there


def test_its_daily_step_runs_in_the_daily_job_and_in_lijian_escalate(plugin, world):
    told = make_user(content.TOLD)
    out = io.StringIO()
    call_command("escalate", "--date", ON.isoformat(), stdout=out)
    assert "会议批示 0 件，插件事项 1 件；通知 1 人次" in out.getvalue()
    [digest] = Message.objects.filter(recipient=told, digest__isnull=True)
    assert "插件事项 1 项" in digest.text and digest.items.get().key == f"plugin-overdue:{ON}"
    event = AuditEvent.objects.get(action=content.OVERDUE_ACTION)
    assert action_label(event.action) == "插件事项超期"
    assert daily_run(ON + datetime.timedelta(days=1))["plugin_items"] == 1


def test_its_menu_entry_shows_as_a_link_to_a_permitted_user_only(plugin, client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    page = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("plugin_app:index")}">插件</a>' in page
    assert client.get(reverse("plugin_app:index")).status_code == 200
    client.force_login(world.users[Role.LIAISON])
    page = client.get(reverse("core:home")).content.decode()
    assert 'href="/plugin/"' not in page and ">插件</span>" in page  # greyed out, as every area is
    assert client.get(reverse("plugin_app:index")).status_code == 403


def test_its_panel_renders_on_the_organisation_page_for_whom_it_says(plugin, client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    page = client.get(reverse("orgs:detail", args=[world.d1.pk])).content.decode()
    assert f'<div class="lj-card" id="plugin-panel">插件：{world.d1.code}（' in page
    client.force_login(world.users[Role.LIAISON])
    page = client.get(reverse("orgs:detail", args=[world.t1.pk])).content.decode()
    assert 'id="plugin-panel"' not in page


def test_without_the_app_nothing_of_it_is_left(world):
    assert "plugin_app:index" not in MENU and "plugin_items" not in STEPS and "/plugin" not in ROUTERS
    assert "plugin_app.org_panel" not in PANELS and "plugin-overdue" not in DIGEST_PARTS
