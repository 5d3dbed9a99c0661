"""Test builders of the guidance of lower bodies (M7, M16, M17), beside tests/world.py."""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from lijian.documents.attachments import attachment_add
from lijian.guidance import services as guidance
from lijian.guidance.models import AssessmentIndicator
from lijian.orgs import services
from lijian.orgs.models import InspectionBody

# --- Guidance of lower bodies (M7, M16, M17) --------------------------------------------------------


@dataclass
class Guidance:
    lower1: InspectionBody  # the patrol body of a committee under 和平 (assessed by 和平区委巡察办)
    lower2: InspectionBody
    review1: object  # the material of the lower committee's special meeting, received by body1
    review2: object
    file1: object
    file2: object
    self_inspection1: object  # open, with one item that found a problem
    self_inspection2: object
    assessment1: object  # ranked: its one lower body proposed for naming
    assessment2: object
    candidate1: object
    candidate2: object
    returned1: object  # an earlier meeting's material, reviewed and returned with opinions (a round kept)
    returned2: object


def assessment_indicators():
    """The indicators the migrations seed (four figures, one judgement: 100 points), by code."""
    return {i.code: i for i in AssessmentIndicator.objects.all()}


def build_guidance(world) -> Guidance:
    """In each district: a committee below it with its own patrol body, that committee's special-meeting
    material received by the district office (with a file), an open self-inspection of the district
    office, and the district's ranked assessment of its lower bodies for 2026 with its proposed
    candidate. Made once per world."""
    if getattr(world, "guidance", None) is not None:
        return world.guidance
    indicators = assessment_indicators()
    made = {}
    for key, body, district in (("1", world.body1, world.d1), ("2", world.body2, world.d2)):
        committee = services.organization_create(
            actor=world.admin,
            parent=district,
            code=f"D{key}-JY",
            name=f"区教育工作党委{key}",
            kind="department",
        )
        lower = services.body_create(
            actor=world.admin,
            code=f"XCB-D{key}-JY",
            name=f"区教育工作党委巡察办{key}",
            level="patrol",
            owner_org=committee,
            authorized_posts=3,
        )
        review = guidance.material_review_receive(
            actor=world.admin,
            body=body,
            organization=committee,
            secretary_name=f"书记{key}",
            secretary_post="党委书记",
            meeting_on=datetime.date(2026, 3, 2),
            meeting_title="听取巡察情况汇报专题会",
            received_on=datetime.date(2026, 3, 5),
        )
        file = attachment_add(
            actor=world.admin, owner=review, upload=SimpleUploadedFile("专题会材料.pdf", b"%PDF-1.4 material")
        )
        returned = guidance.material_review_receive(
            actor=world.admin,
            body=body,
            organization=committee,
            secretary_name=f"书记{key}",
            meeting_on=datetime.date(2025, 9, 1),
            meeting_title="听取巡察整改情况专题会",
            received_on=datetime.date(2025, 9, 3),
        )
        guidance.material_review_start(
            actor=world.admin, review=returned, reviewer=world.admin, on=datetime.date(2025, 9, 4)
        )
        guidance.material_review_return(
            actor=world.admin, review=returned, opinions="整改剖析不深", on=datetime.date(2025, 9, 8)
        )
        inspection = guidance.self_inspection_open(
            actor=world.admin,
            body=body,
            title="2026年巡察工作自查",
            scope="own",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 6, 30),
        )
        guidance.self_inspection_item_add(
            actor=world.admin,
            inspection=inspection,
            item="巡察底稿归档",
            finding="部分底稿未按时归档",
            problem_found=True,
        )
        assessment = guidance.assessment_create(actor=world.admin, body=body, year=2026, naming_count=1)
        guidance.assessment_compute(actor=world.admin, assessment=assessment)
        guidance.assessment_score_set(
            actor=world.admin,
            assessment=assessment,
            assessed_body=lower,
            indicator=indicators["quality"],
            score=12,
        )
        (candidate,) = guidance.assessment_rank(actor=world.admin, assessment=assessment)
        made[key] = (lower, review, file, inspection, assessment, candidate, returned)
    one, two = made["1"], made["2"]
    world.guidance = Guidance(*(x for pair in zip(one, two, strict=True) for x in pair))
    return world.guidance
