"""The auditor reads and searches the ledger within their scope, sees the chain's verification, and
the sensitive reads (a handover sheet, a rectification document) leave events."""

import datetime

from django.urls import reverse
from django.utils import timezone

from lijian.accounts.choices import Role
from lijian.core.audit import audit_record
from lijian.core.models import AuditEvent, LedgerCheck

from ..world import build_findings, build_rounds


def test_the_auditor_filters_by_account_action_object_date_and_outcome(client, world):
    audit_record(actor=world.admin, action="test.alpha", obj=world.d1, scope_path=world.d1.path)
    audit_record(
        actor=world.users[Role.OFFICE_STAFF],
        action="test.beta",
        obj=world.d1,
        scope_path=world.d1.path,
        outcome="denied",
    )
    client.force_login(world.users[Role.AUDITOR])
    url = reverse("core:audit")
    page = client.get(url, {"actor": world.users[Role.OFFICE_STAFF].username}).content.decode()
    assert "test.beta" in page and "test.alpha" not in page
    page = client.get(url, {"outcome": "denied"}).content.decode()
    assert "test.beta" in page and "test.alpha" not in page and "被拒绝" in page
    page = client.get(url, {"action": "test.alpha", "object": world.d1.name}).content.decode()
    assert "test.alpha" in page and "test.beta" not in page
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert "test.alpha" not in client.get(url, {"since": tomorrow.isoformat()}).content.decode()
    assert "test.alpha" in client.get(url, {"until": timezone.localdate().isoformat()}).content.decode()
    bad = client.get(url, {"since": "2026-13-45"})
    assert bad.status_code == 400 and "不是有效日期" in bad.content.decode()


def test_a_scoped_auditor_sees_only_events_of_their_subtree(client, world):
    audit_record(actor=world.admin, action="test.inside", obj=world.t1, scope_path=world.t1.path)
    audit_record(actor=world.admin, action="test.outside", obj=world.t2, scope_path=world.t2.path)
    client.force_login(world.users[Role.AUDITOR])  # auditor of 和平区
    page = client.get(reverse("core:audit"), {"action": "test."}).content.decode()
    assert "test.inside" in page and "test.outside" not in page


def test_the_auditor_verifies_the_chain_from_the_page(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.users[Role.AUDITOR])
    url = reverse("core:audit")
    assert "审计账本尚未校验" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    check = LedgerCheck.objects.get()
    assert check.ok is True and check.head_seq == AuditEvent.objects.order_by("-seq").first().seq
    assert "审计账本完好" in client.get(url).content.decode()
    assert AuditEvent.objects.filter(action="ledger.verify", actor=world.users[Role.AUDITOR]).exists()


def test_others_cannot_verify_or_read_the_ledger(client, world):
    client.force_login(world.users[Role.GROUP_MEMBER])
    assert client.post(reverse("core:audit")).status_code == 403
    assert not LedgerCheck.objects.exists()


def test_downloading_a_handover_sheet_is_an_audit_event(client, world):
    world.rounds = build_rounds(world)
    findings = build_findings(world, world.rounds)
    client.force_login(world.users[Role.DEPARTMENT])
    response = client.get(reverse("findings:clue_sheet", kwargs={"pk": findings.clue1.pk}))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="document.download", object_id=str(findings.clue1.pk))
    assert event.actor == world.users[Role.DEPARTMENT] and event.after["file"].startswith("handover-")
