"""A problem and its evidence file commit together: the service takes the upload and stores it in
its own transaction, so a refused file, or one that fails after the problem is saved, leaves neither
the problem nor its events behind."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lijian.core.models import AuditEvent
from lijian.documents import attachments
from lijian.documents.models import Attachment
from lijian.findings import services
from lijian.findings.models import Problem

from ..world import build_findings, build_rounds, category


@pytest.fixture
def f(world):
    world.rounds = build_rounds(world)
    world.findings = build_findings(world, world.rounds)
    return world


def _state():
    return Problem.objects.count(), Attachment.objects.count(), AuditEvent.objects.count()


def _record(f, evidence):
    return services.problem_record(
        actor=f.admin,
        inspection=f.rounds.inspection1,
        category=category(),
        summary="资金管理混乱",
        found_on=datetime.date(2024, 3, 25),
        evidence=evidence,
    )


def test_a_problem_with_its_evidence_is_one_write(f):
    before = _state()
    problem = _record(f, SimpleUploadedFile("账目.pdf", b"%PDF-1.4 ok"))
    (file,) = attachments.attachments_of(problem)
    assert file.original_name == "账目.pdf"
    assert _state() == (before[0] + 1, before[1] + 1, before[2] + 2)  # problem.record, attachment.add


def test_a_refused_file_leaves_no_problem(f):
    before = _state()
    with pytest.raises(ValidationError) as refused:
        _record(f, SimpleUploadedFile("账目.pdf", b"MZ\x90 not a pdf"))
    assert list(refused.value.message_dict) == ["evidence"]
    assert _state() == before


def test_a_file_failing_after_the_problem_is_saved_takes_the_problem_back(f, monkeypatch):
    monkeypatch.setattr(attachments, "can_add", lambda user, obj: False)  # refused inside the write
    before = _state()
    with pytest.raises(PermissionDenied):
        _record(f, SimpleUploadedFile("账目.pdf", b"%PDF-1.4 ok"))
    assert _state() == before


def test_the_form_shows_a_refused_file_on_its_field_and_writes_nothing(f, client):
    client.force_login(f.admin)
    before = _state()
    answer = client.post(
        reverse("findings:problem_create", args=[f.rounds.inspection1.pk]),
        {
            "category": category().pk,
            "summary": "资金管理混乱",
            "found_on": "2024-03-25",
            "evidence": SimpleUploadedFile("账目.pdf", b"MZ\x90 not a pdf"),
        },
    )
    assert answer.status_code == 200
    assert list(answer.context["form"].errors) == ["evidence"]
    assert _state() == before
