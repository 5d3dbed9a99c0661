"""The audit page speaks Chinese about the system's own work and the keys services record beside
an object's fields (a status change's day, the daily run's counts)."""

from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.audit import audit_record


def test_the_system_and_recorded_keys_are_shown_in_chinese(client, world):
    audit_record(
        actor=None,
        action="task.overdue",
        obj=world.d1,
        after={"deadline": "2026-11-01", "on": "2026-12-04", "tasks": 3},
        scope_path=world.d1.path,
    )
    client.force_login(world.users[Role.AUDITOR])
    page = client.get(reverse("core:audit")).content.decode()
    assert "<td>系统</td>" in page and "<td>system</td>" not in page
    assert "日期</span>：2026-12-04" in page and ">on</span>" not in page
    assert "超期整改任务</span>：3" in page and ">tasks</span>" not in page


def test_a_recorded_choice_shows_its_label_not_its_code(client, world):
    audit_record(
        actor=world.admin,
        action="org.update",
        obj=world.d1,
        before={"kind": "provincial_committee"},
        after={"kind": "municipal_committee"},
        scope_path=world.d1.path,
    )
    client.force_login(world.users[Role.AUDITOR])
    page = client.get(reverse("core:audit"), {"action": "org.update"}).content.decode()
    assert "组织类别</span>：省委 → 市委" in page and "municipal_committee" not in page
