"""``create_audited``: a new record is validated, saved with its many-to-many sets and audited with
its after-values in one step, and a refusal (``full_clean`` or the caller's ``check``) writes nothing."""

import pytest
from django.core.exceptions import ValidationError

from lijian.core.audit import create_audited
from lijian.core.models import AuditEvent
from lijian.people.models import Cadre, Skill


def _cadre(world, cadre_id="C-001", birth_year=1980):
    return Cadre(
        cadre_id=cadre_id, name="张明", gender="M", birth_year=birth_year, home_org=world.d1, rank="section"
    )


def test_the_record_its_sets_and_its_event_are_written_together(world):
    skills = list(Skill.objects.order_by("-code")[:2])  # the reference table's own entries
    codes = sorted(s.code for s in skills)
    assert len(codes) == 2
    cadre = create_audited(
        actor=world.admin,
        instance=_cadre(world),
        action="cadre.create",
        fields=("cadre_id", "home_org"),
        related={"skills": skills},
        extra={"note": "测试"},
        scope_path=world.d1.path,
    )
    assert cadre.pk and sorted(cadre.skills.values_list("code", flat=True)) == codes
    event = AuditEvent.objects.get(action="cadre.create")
    assert (event.object_type, event.object_id, event.scope_path) == (
        "people.cadre",
        str(cadre.pk),
        world.d1.path,
    )
    assert event.before is None
    # the fields, each set by its sorted codes, the extra values (PostgreSQL's jsonb keeps no key order)
    assert event.after == {"cadre_id": "C-001", "home_org": world.d1.pk, "skills": codes, "note": "测试"}


def test_after_given_is_the_event_as_is(world):
    create_audited(actor=world.admin, instance=_cadre(world), action="cadre.create", after={"who": "张明"})
    assert AuditEvent.objects.get(action="cadre.create").after == {"who": "张明"}


def test_a_refusal_writes_nothing(world):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        create_audited(actor=world.admin, instance=_cadre(world, birth_year=1900), action="cadre.create")

    def refuse(cadre):
        raise ValidationError("不能登记。")

    with pytest.raises(ValidationError, match="不能登记"):
        create_audited(actor=world.admin, instance=_cadre(world), action="cadre.create", check=refuse)
    assert not Cadre.objects.exists() and AuditEvent.objects.count() == events
