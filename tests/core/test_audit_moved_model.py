"""Events written before a model moved to another app keep its former label (the ledger is
hash-chained, never rewritten): the audit page still shows their fields and statuses in Chinese,
finds them beside the later ones, and the hand-overs still count them.

The leaders' instruction (批示) was ``findings.instruction`` until it moved to rectification."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent, Message
from lijian.core.registry import model_label_current, model_labels_former
from lijian.rectification.instructions.handovers import _times

from ..world import build_findings, build_rounds

FORMER = "findings.instruction"


@pytest.fixture
def instruction(world):
    return build_findings(world, build_rounds(world)).instruction1


def former_event(world, instruction, action: str, before: dict, after: dict) -> AuditEvent:
    """An event as the findings app wrote it for an instruction (``move_audited``: the status and
    the fields set, before and after), under the model's former label."""
    return AuditEvent.objects.create(
        actor=world.admin,
        actor_name=world.admin.get_username(),
        action=action,
        object_type=FORMER,
        object_id=str(instruction.pk),
        object_repr=str(instruction),
        scope_path=AuditEvent.objects.get(
            action="instruction.give", object_id=str(instruction.pk)
        ).scope_path,
        before=before,
        after=after,
    )


def test_the_rectification_app_registers_the_instructions_former_label():
    assert model_label_current(FORMER) == "rectification.instruction"
    assert model_labels_former("rectification.instruction") == [FORMER]
    assert model_label_current("findings.problem") == "findings.problem"  # never moved


def test_an_instruction_event_from_before_the_move_shows_its_fields_and_statuses_in_chinese(
    client, world, instruction
):
    former_event(
        world,
        instruction,
        "instruction.answer",
        {"status": "open", "follow_up_given": ""},
        {"status": "answered", "follow_up_given": "已核查完毕"},
    )
    client.force_login(world.users[Role.AUDITOR])
    page = client.get(reverse("core:audit"), {"action": "instruction.answer"}).content.decode()
    assert "状态</span>：待落实 → 已报落实情况" in page
    assert "落实情况</span>： → 已核查完毕" in page
    assert ">open<" not in page and "answered" not in page and "follow_up_given" not in page


def test_searching_the_audit_page_by_either_label_finds_the_instructions_events_old_and_new(
    client, world, instruction
):
    old = former_event(world, instruction, "instruction.close", {"status": "answered"}, {"status": "closed"})
    new = AuditEvent.objects.get(object_type="rectification.instruction", object_id=str(instruction.pk))
    client.force_login(world.users[Role.AUDITOR])
    for text in ("rectification.instruction", "findings.instruction", "instruction", "Rectification.Instr"):
        page = client.get(reverse("core:audit"), {"object": text}).content.decode()
        shown = {e for e in (old, new) if f">{e.seq}</td>" in page}
        assert shown == {old, new}, text
    page = client.get(reverse("core:audit"), {"object": "findings.problem"}).content.decode()
    assert f">{old.seq}</td>" not in page and f">{new.seq}</td>" not in page


def test_the_handovers_count_an_instructions_moves_under_either_label_and_the_ledger_still_verifies(
    world, instruction
):
    assert _times(instruction, "instruction.reopen") == 0
    former_event(world, instruction, "instruction.reopen", {"status": "answered"}, {"status": "open"})
    assert _times(instruction, "instruction.reopen") == 1
    call_command("ledger", "verify")  # exits 0: nothing rewritten


def test_messages_about_an_instruction_written_before_the_move_group_with_the_later_ones(world, instruction):
    """Messages are not hash-chained: the migration renames their grouping record, and back."""
    step = importlib.import_module("lijian.rectification.migrations.0009_instruction_message_records")
    old = Message.objects.create(
        recipient=world.admin, key="old-fact", text="旧", record=f"{FORMER}:{instruction.pk}"
    )
    other = Message.objects.create(recipient=world.admin, key="other", text="别的", record="findings.problem:7")
    step.rename_records(apps, None)
    old.refresh_from_db()
    other.refresh_from_db()
    assert old.record == f"rectification.instruction:{instruction.pk}"
    assert other.record == "findings.problem:7"
    step.restore_records(apps, None)
    old.refresh_from_db()
    assert old.record == f"{FORMER}:{instruction.pk}"
