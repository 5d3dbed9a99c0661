import datetime

import pytest

from lijian.documents import rendering
from lijian.documents.gbt9704 import PdfUnavailable
from lijian.rectification import services as rectification

from ..world import build_findings, build_governance, build_rectification, build_rounds
from ..world_guidance import build_guidance


@pytest.fixture
def no_pdf(monkeypatch):
    """LibreOffice takes seconds per file: drafts are rendered to DOCX only here."""

    def unavailable(docx):
        raise PdfUnavailable("测试中不生成 PDF。")

    monkeypatch.setattr(rendering, "render_pdf", unavailable)


@pytest.fixture
def full(world, no_pdf):
    """The world with each district's rounds, findings, rectification (its street below the line,
    owing a self-criticism), governance and guidance records, and 和平's street interviewed and its
    secretary held accountable and its deputy removed."""
    rounds = build_rounds(world)
    findings = build_findings(world, rounds)
    rect = build_rectification(world, rounds, findings)
    build_governance(world)
    build_guidance(world)
    rectification.interview_record(
        actor=world.admin,
        body=world.body1,
        organization=world.t1,
        interviewer="区委书记",
        interviewee="街道党工委书记",
        reason="整改不力",
        held_on=datetime.date(2024, 10, 8),
    )
    for name, post, action in (("张某", "党工委书记", "admonishment"), ("李某", "纪工委书记", "removal")):
        rectification.accountability_record(
            actor=world.admin,
            body=world.body1,
            organization=world.t1,
            subject_name=name,
            subject_post=post,
            action=action,
            reason="履行整改责任不力",
            decided_by="区委",
            decided_on=datetime.date(2024, 11, 5),
            self_criticism=rect.self_criticism1,
        )
    world.rounds, world.findings, world.rect = rounds, findings, rect
    return world
