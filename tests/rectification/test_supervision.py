"""Supervision records (督办) and rectification evaluations (整改评估): who may record them, the
scores and grades, the look-back list, the proposed interviews and who is told."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent, Message
from lijian.rectification import selectors, services, supervision
from lijian.rectification.choices import EVALUATION_INDICATORS

from ..world import fed_back, make_user

D = datetime.date


@pytest.fixture
def fed(world):
    return fed_back(world)


def scores_for(total: int) -> dict[str, int]:
    """Indicator scores adding up to ``total``, filling each indicator in turn."""
    scores = {}
    for key, _label, full in EVALUATION_INDICATORS:
        scores[key] = min(full, total)
        total -= scores[key]
    return scores


def _notices(user) -> list[str]:
    """The keys of the user's notices other than hand-overs (tested in tests/core/test_handovers.py)."""
    return sorted(_told().filter(recipient=user).values_list("key", flat=True))


def _told():
    from lijian.core.messages import HANDOVER_KINDS

    return Message.objects.exclude(kind__in=HANDOVER_KINDS)


# --- supervision ----------------------------------------------------------------------------------


def _supervise(fed, **changes):
    values = {
        "actor": fed.office,
        "body": fed.world.body1,
        "organization": fed.world.t1,
        "method": "letter",
        "held_on": D(2024, 7, 15),
        "content": "整改进度滞后，请于两周内报送整改进展。",
    }
    return supervision.supervision_record(**{**values, **changes})


def test_the_office_records_a_supervision_and_the_organisations_liaisons_are_told(fed):
    world = fed.world
    other_liaison = make_user("liaison-d2", Role.LIAISON, world.d2)
    item = _supervise(fed, task=fed.problems["a"].task, inspection=fed.inspection, result="已约见分管领导")
    assert (item.organization, item.task, item.get_method_display()) == (
        world.t1,
        fed.problems["a"].task,
        "督办函",
    )
    assert AuditEvent.objects.filter(action="supervision.record", object_id=str(item.pk)).count() == 1
    assert _notices(fed.liaison) == [f"supervision:{item.pk}"]
    notice = _told().get(recipient=fed.liaison)
    assert "和平区委巡察办" in notice.text and "督办函" in notice.text and "两周内" in notice.text
    assert notice.url == reverse("rectification:inspection", args=[fed.inspection.pk])
    assert _notices(other_liaison) == [] and _notices(fed.office) == []
    assert list(selectors.supervisions_visible(fed.liaison)) == [item]
    assert list(selectors.supervisions_visible(other_liaison)) == []


def test_a_supervision_is_refused_outside_the_bodys_office_scope_and_facts(fed, world):
    with pytest.raises(PermissionDenied):
        _supervise(fed, actor=fed.liaison)
    with pytest.raises(PermissionDenied):
        _supervise(fed, actor=world.outsider)  # 河西区's office
    with pytest.raises(ValidationError, match="范围内"):
        _supervise(fed, organization=world.t2)
    with pytest.raises(ValidationError, match="晚于今天"):
        _supervise(fed, held_on=datetime.date.today() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="不属于"):
        _supervise(fed, organization=world.v1, task=fed.problems["a"].task)  # the task is the street's
    with pytest.raises(ValidationError, match="不是本机构"):
        _supervise(fed, organization=world.v1, inspection=fed.inspection)
    with pytest.raises(ValidationError):
        _supervise(fed, method="carrier_pigeon")
    with pytest.raises(ValidationError):
        _supervise(fed, content="   ")
    assert not _told().exists()


# --- evaluation -----------------------------------------------------------------------------------


def _evaluate(fed, total=None, **changes):
    values = {
        "actor": fed.office,
        "body": fed.world.body1,
        "organization": fed.world.t1,
        "term": fed.world.term1,
        "evaluated_on": D(2024, 9, 1),
        "scores": scores_for(total if total is not None else 80),
    }
    return supervision.evaluation_record(**{**values, **changes})


@pytest.mark.parametrize(
    "total,grade",
    [(100, "good"), (90, "good"), (89, "fair_good"), (75, "fair_good"), (74, "average"), (60, "average"),
     (59, "poor"), (0, "poor")],
)  # fmt: skip
def test_the_grade_follows_the_total_at_the_boundaries(fed, total, grade):
    item = _evaluate(fed, total)
    assert (item.total, item.grade) == (total, grade)
    assert item.scores == scores_for(total)


def test_every_indicator_is_scored_within_its_full_marks(fed):
    good = scores_for(80)
    for scores, message in (
        ({k: v for k, v in good.items() if k != "rules"}, "建章立制"),  # one missing
        ({**good, "completion": 31}, "0 到 30"),  # over its full marks
        ({**good, "closing": -1}, "0 到 20"),
        ({**good, "use": 7.5}, "整数"),
        ({**good, "use": "7"}, "整数"),
        ({**good, "mood": 5}, "没有这些评估指标"),
    ):
        with pytest.raises(ValidationError, match=message):
            _evaluate(fed, scores=scores)
    assert sum(full for _k, _l, full in EVALUATION_INDICATORS) == 100


def test_only_the_bodys_office_evaluates_an_organisation_it_fed_back(fed, world):
    with pytest.raises(PermissionDenied):
        _evaluate(fed, actor=fed.liaison)
    with pytest.raises(PermissionDenied):
        _evaluate(fed, actor=world.outsider)
    with pytest.raises(ValidationError, match="尚未向该党组织反馈"):
        _evaluate(fed, organization=world.v1)  # in scope, never fed back
    with pytest.raises(ValidationError, match="尚未向该党组织反馈"):
        _evaluate(fed, evaluated_on=D(2024, 5, 1))  # before the feedback
    with pytest.raises(ValidationError, match="届次"):
        _evaluate(fed, term=world.term2)


def test_a_poor_grade_puts_the_organisation_on_the_look_back_list_and_proposes_an_interview(fed, world):
    body, term = world.body1, world.term1
    fair = _evaluate(fed, 70, evaluated_on=D(2024, 8, 1))
    assert list(supervision.look_back_list(body, term)) == []
    assert _notices(fed.office) == []  # an average grade tells nobody
    poor = _evaluate(fed, 55)
    assert poor.on_look_back_list and not fair.on_look_back_list
    assert list(supervision.look_back_list(body, term)) == [world.t1]
    assert list(supervision.interviews_proposed(body, term)) == [poor]
    assert _notices(fed.office) == [f"evaluation-poor:{poor.pk}"]
    notice = _told().get(recipient=fed.office)
    assert "差" in notice.text and "回头看" in notice.text and "约谈" in notice.text
    assert _notices(world.outsider) == [] and _notices(fed.liaison) == []
    assert list(supervision.look_back_list(world.body2, world.term2)) == []

    interview = services.interview_record(
        actor=fed.office,
        body=body,
        organization=world.t1,
        interviewer="区委书记",
        interviewee="街道党工委书记",
        interviewee_post="党工委书记",
        reason="整改评估为差",
        held_on=D(2024, 9, 5),
    )
    other = services.interview_record(
        actor=fed.office,
        body=body,
        organization=world.v1,
        interviewer="区委书记",
        interviewee="社区书记",
        reason="另案",
        held_on=D(2024, 9, 5),
    )
    with pytest.raises(ValidationError, match="不是对被评估党组织"):
        supervision.evaluation_link_interview(actor=fed.office, evaluation=poor, interview=other)
    with pytest.raises(PermissionDenied):
        supervision.evaluation_link_interview(actor=world.outsider, evaluation=poor, interview=interview)
    supervision.evaluation_link_interview(actor=fed.office, evaluation=poor, interview=interview)
    assert list(supervision.interviews_proposed(body, term)) == []
    assert AuditEvent.objects.filter(action="evaluation.link_interview", object_id=str(poor.pk)).exists()
    # The interview closes the proposal, not the look-back: only a better evaluation does that.
    assert list(supervision.look_back_list(body, term)) == [world.t1]
    _evaluate(fed, 78, evaluated_on=D(2024, 12, 1))
    assert list(supervision.look_back_list(body, term)) == []
    assert [e.total for e in selectors.evaluations_visible(fed.liaison)] == [78, 55, 70]
    assert list(selectors.evaluations_visible(world.outsider)) == []


def test_the_suggested_scores_follow_the_rates(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lijian.documents.attachments import attachment_add

    fed = fed_back(
        world,
        (
            ("a", D(2024, 6, 30), "concentrated"),
            ("b", D(2024, 7, 31), "concentrated"),
            ("c", D(2024, 12, 31), "concentrated"),
        ),
    )
    body, term, org = world.body1, world.term1, world.t1
    # inside the rectification period (feedback 5-10, report due 7-10) no score follows from the rates
    assert supervision.evaluation_suggest(org, body, term, D(2024, 6, 1)) == {}
    a = fed.problems["a"]
    services.task_complete(actor=fed.liaison, task=a.task, on=D(2024, 6, 20))
    attachment_add(actor=fed.liaison, owner=a.task, upload=SimpleUploadedFile("佐证.pdf", b"%PDF-1.4 proof"))
    services.problem_close(actor=fed.office, problem=a, on=D(2024, 6, 25), reason="对账销号")
    # On 2024-08-15: a closed; a and b due → completion 1/2 × 30; implementation 1/4 × 20.
    assert supervision.evaluation_suggest(org, body, term, D(2024, 8, 15)) == {"completion": 15, "closing": 5}
