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


def test_a_recorded_yes_or_no_and_a_related_records_status_are_in_words(client, world):
    audit_record(
        actor=world.admin,
        action="user.credentials_reissue",
        obj=world.d1,
        after={"one_time_password": True, "second_factor_removed": False},
        scope_path=world.d1.path,
    )
    client.force_login(world.users[Role.AUDITOR])
    page = client.get(reverse("core:audit"), {"action": "user.credentials_reissue"}).content.decode()
    assert "已发放初始密码</span>：是" in page and "已解除身份验证器</span>：否" in page
    assert ">True<" not in page and "one_time_password" not in page


def test_a_status_recorded_on_a_progress_note_shows_the_tasks_status_label():
    from lijian.core.models import AuditEvent
    from lijian.core.selectors import audit_changes

    event = AuditEvent(
        action="task.progress",
        object_type="rectification.taskprogress",
        before={"status": "planned"},
        after={"status": "in_progress"},
    )
    (change,) = audit_changes(event)
    assert change.field == "状态" and "planned" not in (change.before, change.after)
    assert (str(change.before), str(change.after)) == ("未开始", "推进中")
