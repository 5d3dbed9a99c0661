"""A progress report and its evidence file commit together (``reporting.task_progress_report`` takes
the upload): a file refused, or failing after the report is saved, leaves no report, no status change
and no event behind."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent
from lijian.documents import attachments
from lijian.documents.models import Attachment
from lijian.rectification import services
from lijian.rectification.models import TaskProgress
from lijian.rectification.reporting import task_progress_report

from ..world import build_findings, build_rectification, build_rounds


@pytest.fixture
def task(world):
    rounds = build_rounds(world)
    made = build_rectification(world, rounds, build_findings(world, rounds))
    return services.task_accept(actor=world.users[Role.OFFICE_STAFF], task=made.task1)


def _state(task):
    task.refresh_from_db()
    return task.status, TaskProgress.objects.count(), Attachment.objects.count(), AuditEvent.objects.count()


def _report(world, task, evidence):
    return task_progress_report(
        actor=world.users[Role.LIAISON],
        task=task,
        on=datetime.date(2024, 6, 1),
        text="已清退两笔",
        evidence=evidence,
    )


def test_progress_with_its_evidence_is_one_write(world, task):
    status, reports, files, events = _state(task)
    _report(world, task, SimpleUploadedFile("凭证.pdf", b"%PDF-1.4 ok"))
    assert _state(task) == ("in_progress", reports + 1, files + 1, events + 2)


def test_a_refused_file_leaves_no_report(world, task):
    before = _state(task)
    with pytest.raises(ValidationError) as refused:
        _report(world, task, SimpleUploadedFile("凭证.pdf", b"MZ\x90 not a pdf"))
    assert list(refused.value.message_dict) == ["evidence"]
    assert _state(task) == before


def test_a_file_failing_after_the_report_is_saved_takes_the_report_back(world, task, monkeypatch):
    monkeypatch.setattr(attachments, "can_add", lambda user, obj: False)  # refused inside the write
    before = _state(task)
    with pytest.raises(PermissionDenied):
        _report(world, task, SimpleUploadedFile("凭证.pdf", b"%PDF-1.4 ok"))
    assert _state(task) == before
