"""The problem form is offered only while a problem may still be recorded (the service's stage rule),
says so at the top when opened too late, and shows a service error that names no field above the form,
not under the evidence field."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lijian.findings import services
from lijian.findings.models import Problem
from lijian.inspections.choices import Stage

from ..world import build_findings, build_rounds, category


@pytest.fixture
def f(world):
    world.rounds = build_rounds(world)
    world.findings = build_findings(world, world.rounds)
    return world


def _post(f):
    return {
        "category": category().pk,
        "summary": "资金管理混乱",
        "found_on": "2024-03-25",
    }


@pytest.mark.parametrize("stage", [s.value for s in Stage])
def test_the_problem_link_and_form_follow_the_services_stage_rule(f, client, stage):
    inspection = f.rounds.inspection1
    inspection.stage = stage
    inspection.save()
    client.force_login(f.admin)
    url = reverse("findings:problem_create", args=[inspection.pk])
    page = client.get(reverse("inspections:inspection", args=[inspection.pk])).content.decode()
    form = client.get(url).content.decode()
    if stage in services.FINDING_STAGES:
        assert url in page and 'id="refusal"' not in form and 'name="summary"' in form
    else:
        assert url not in page
        # Said at the top before anything is filled: no form to fill.
        assert 'id="refusal"' in form and "阶段不能再记录问题" in form and 'name="summary"' not in form
        before = Problem.objects.count()
        answer = client.post(url, _post(f))
        assert "阶段不能再记录问题" in answer.content.decode() and Problem.objects.count() == before


def test_a_service_error_naming_no_field_is_shown_above_the_form(f, client, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError("本次巡视巡察已暂停。")

    monkeypatch.setattr(services, "problem_record", refuse)
    client.force_login(f.admin)
    inspection = f.rounds.inspection1
    answer = client.post(reverse("findings:problem_create", args=[inspection.pk]), _post(f))
    form = answer.context["form"]
    assert form.non_field_errors() == ["本次巡视巡察已暂停。"]
    assert not form.errors.get("evidence")


def test_the_service_refuses_outside_the_finding_stages(f):
    inspection = f.rounds.inspection1
    inspection.stage = Stage.RECTIFICATION
    inspection.save()
    with pytest.raises(ValidationError, match="“整改”阶段不能再记录问题。"):
        services.problem_record(
            actor=f.admin,
            inspection=inspection,
            category=category(),
            summary="资金管理混乱",
            found_on=datetime.date(2024, 3, 25),
        )
