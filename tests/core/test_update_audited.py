"""``update_audited``: a refused change (``full_clean`` or the caller's ``check``) saves nothing and
leaves the object holding its stored values, so a page that shows it again with the refusal shows
what is stored, not what was refused."""

import pytest
from django.core.exceptions import ValidationError

from lijian.core.audit import update_audited
from lijian.core.models import AuditEvent
from lijian.people.models import Cadre


@pytest.fixture
def cadre(world):
    return Cadre.objects.create(
        cadre_id="C-001", name="张明", gender="M", birth_year=1980, home_org=world.d1, rank="section"
    )


def _update(world, cadre, changes, check=None):
    return update_audited(
        actor=world.admin,
        instance=cadre,
        changes=changes,
        editable=("name", "birth_year", "home_org"),
        action="cadre.update",
        scope_path=world.d1.path,
        check=check,
    )


def test_a_value_the_model_refuses_is_not_left_on_the_object(world, cadre):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        _update(world, cadre, {"name": "李四", "birth_year": 1900, "home_org": world.d2})
    assert (cadre.name, cadre.birth_year, cadre.home_org) == ("张明", 1980, world.d1)
    stored = Cadre.objects.get(pk=cadre.pk)
    assert (stored.name, stored.birth_year, stored.home_org_id) == ("张明", 1980, world.d1.pk)
    assert AuditEvent.objects.count() == events


def test_a_change_the_callers_check_refuses_is_not_left_on_the_object(world, cadre):
    def refuse(instance):
        raise ValidationError("不能改名。")

    with pytest.raises(ValidationError, match="不能改名"):
        _update(world, cadre, {"name": "李四"}, check=refuse)
    assert cadre.name == "张明" and Cadre.objects.get(pk=cadre.pk).name == "张明"


def test_an_accepted_change_is_saved_and_audited(world, cadre):
    _update(world, cadre, {"name": " 李四 "})
    assert cadre.name == "李四" and Cadre.objects.get(pk=cadre.pk).name == "李四"
    assert AuditEvent.objects.filter(action="cadre.update").get().after["name"] == "李四"
