"""The two rectification rates at several reference dates, with long-term and reopened problems,
and who may move a problem."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lijian.accounts.choices import Role
from lijian.documents.attachments import attachment_add
from lijian.findings.choices import PROBLEM_TRANSITIONS
from lijian.rectification import services
from lijian.rectification.rates import rectification_rates

from ..world import FOUR_TASKS, fed_back

D = datetime.date


@pytest.fixture
def fed(world):
    """和平区's inspection of the street, fed back on 2024-05-10 with five approved problems: the
    world's own (no task yet) and four with an accepted task each: a (due 6-30), b (due 7-31),
    c (long-term, due 2025), d (due 6-15)."""
    fed = fed_back(world, FOUR_TASKS)
    return world, fed.inspection, fed.feedback, fed.problems, fed.office, fed.liaison


def _evidence(world, problem):
    """The liaison's evidence on the problem's task (what closing rests on)."""
    liaison = world.users[Role.LIAISON]
    attachment_add(
        actor=liaison, owner=problem.task, upload=SimpleUploadedFile("佐证.pdf", b"%PDF-1.4 proof")
    )


def _rates(world, on):
    rates = rectification_rates(world.t1, world.body1, world.term1, on)
    return [(r.numerator, r.denominator) for r in (rates["completion_rate"], rates["implementation_rate"])]


def test_feedback_starts_rectification_and_the_report_deadline(fed):
    world, inspection, feedback, problems, office, liaison = fed
    assert feedback.report_due == D(2024, 7, 10)  # the round's 2 months
    inspection.refresh_from_db()
    assert inspection.stage == "feedback" and inspection.feedback_date == D(2024, 5, 10)
    assert {p.status for p in inspection.problems.all()} == {"rectifying"}


def test_both_rates_at_several_dates_with_long_term_and_reopened_problems(fed):
    world, inspection, feedback, problems, office, liaison = fed
    a, b, c, d = (problems[k] for k in "abcd")
    for problem, on in ((a, D(2024, 6, 20)), (d, D(2024, 6, 10))):
        services.task_complete(actor=liaison, task=problem.task, on=on)
        _evidence(world, problem)
        services.problem_close(actor=office, problem=problem, on=on, reason="对账销号：佐证材料齐全")
    services.task_complete(actor=liaison, task=c.task, on=D(2024, 7, 20))
    services.problem_stage_met(actor=office, problem=c, on=D(2024, 8, 1), reason="第一阶段制度已建立")
    services.problem_reopen(actor=office, problem=d, on=D(2024, 9, 1), reason="回头看发现问题反弹")

    assert _rates(world, D(2024, 5, 1)) == [(0, 0), (0, 0)]  # before feedback nothing is counted
    assert _rates(world, D(2024, 5, 10)) == [(0, 0), (0, 5)]  # a problem without tasks is never "due"
    assert _rates(world, D(2024, 6, 25)) == [(2, 2), (2, 5)]  # a closed early counts; only d was due
    assert _rates(world, D(2024, 8, 15)) == [(2, 3), (3, 5)]  # b is due and open; c's stage is met
    assert _rates(world, D(2024, 9, 15)) == [(1, 3), (2, 5)]  # d reopened: no longer closed
    rates = rectification_rates(world.t1, world.body1, world.term1, D(2024, 9, 15))
    assert rates["implementation_rate"].value == 0.4 and "落实到位率" in str(
        rates["implementation_rate"].definition
    )
    assert rates["completion_rate"].counted == {a.pk}


def test_only_the_inspection_side_closes_and_only_on_evidence(fed):
    world, inspection, feedback, problems, office, liaison = fed
    a = problems["a"]
    services.task_complete(actor=liaison, task=a.task, on=D(2024, 6, 20))
    with pytest.raises(PermissionDenied):
        services.problem_close(actor=liaison, problem=a, on=D(2024, 6, 20), reason="我们自己销号")
    with pytest.raises(ValidationError, match="佐证材料"):
        services.problem_close(actor=office, problem=a, on=D(2024, 6, 20), reason="没有材料")
    with pytest.raises(ValidationError, match="佐证材料"):  # the liaison reports done on evidence too
        services.problem_report_done(actor=liaison, problem=a, on=D(2024, 6, 21), reason="已完成整改")
    _evidence(world, a)
    with pytest.raises(ValidationError, match="整改完成情况"):
        services.problem_report_done(actor=liaison, problem=a, on=D(2024, 6, 21), reason=" ")
    with pytest.raises(ValidationError, match="未完成"):
        services.problem_report_done(actor=liaison, problem=problems["b"], on=D(2024, 6, 21), reason="完成")
    services.problem_report_done(actor=liaison, problem=a, on=D(2024, 6, 21), reason="已完成整改")
    with pytest.raises(ValidationError, match="早于上一次"):
        services.problem_close(actor=office, problem=a, on=D(2024, 6, 20), reason="对账销号")
    services.problem_close(actor=office, problem=a, on=D(2024, 6, 22), reason="对账销号")
    assert a.status == "closed"
    with pytest.raises(PermissionDenied):
        services.problem_report_done(
            actor=world.outsider, problem=problems["b"], on=D(2024, 6, 22), reason="x"
        )


def test_closing_rests_on_the_rectifying_sides_evidence_never_the_groups(fed):
    from lijian.rectification.services import has_evidence

    world, inspection, feedback, problems, office, liaison = fed
    a = problems["a"]
    services.task_complete(actor=liaison, task=a.task, on=D(2024, 6, 20))
    # the group's finding evidence on the problem proves the problem, not its rectification
    attachment_add(actor=office, owner=a, upload=SimpleUploadedFile("发现问题证据.pdf", b"%PDF-1.4 found"))
    assert not has_evidence(a)
    with pytest.raises(ValidationError, match="佐证材料"):
        services.problem_close(actor=office, problem=a, on=D(2024, 6, 20), reason="对账销号")
    with pytest.raises(ValidationError, match="佐证材料"):
        services.problem_report_done(actor=liaison, problem=a, on=D(2024, 6, 21), reason="已完成整改")
    # nor may the inspection side supply the rectifying side's evidence on a task
    with pytest.raises(PermissionDenied):
        attachment_add(actor=office, owner=a.task, upload=SimpleUploadedFile("代传.pdf", b"%PDF-1.4 x"))
    assert a.status == "rectifying" and not has_evidence(a)
    _evidence(world, a)
    assert has_evidence(a)
    services.problem_report_done(actor=liaison, problem=a, on=D(2024, 6, 21), reason="已完成整改")
    services.problem_close(actor=office, problem=a, on=D(2024, 6, 22), reason="对账销号")
    assert a.status == "closed"


def test_a_changed_measure_needs_acceptance_again(fed):
    world, inspection, feedback, problems, office, liaison = fed
    task = problems["b"].task
    services.task_change(actor=liaison, task=task, deadline=D(2024, 9, 30))
    assert task.accepted_at is None
    with pytest.raises(ValidationError, match="尚未审核"):
        services.task_complete(actor=liaison, task=task, on=D(2024, 9, 1))


def test_problem_transitions_are_the_table():
    assert ("closed", "reopened") in PROBLEM_TRANSITIONS.pairs()
    assert ("closed", "rectifying") not in PROBLEM_TRANSITIONS.pairs()  # reopening is its own move
    assert not PROBLEM_TRANSITIONS.can("open", "closed")  # nothing closes before feedback


def test_the_rates_join_the_figures_with_the_bodys_threshold(fed):
    from lijian.analytics.figures import all_figures, body_figures

    world, inspection, feedback, problems, office, liaison = fed
    a = problems["a"]
    services.task_complete(actor=liaison, task=a.task, on=D(2024, 6, 20))
    _evidence(world, a)
    services.problem_close(actor=office, problem=a, on=D(2024, 6, 20), reason="对账销号")
    figures = body_figures(world.body1, world.term1, D(2024, 7, 15))  # past the report due 7-10
    assert figures["organizations_fed_back"].value == 1
    assert figures["organizations_below_threshold"].value == 1  # 1 of 5 implemented, under 70%
    assert list(figures["organizations_below_threshold"].records) == [world.t1]
    assert list(figures["problems_closed"].records) == [a]
    world.body1.rectification_threshold = 20
    world.body1.save()
    assert body_figures(world.body1, world.term1, D(2024, 7, 15))["organizations_below_threshold"].value == 0
    data = all_figures(world.body1, world.term1, D(2024, 7, 15))
    assert data["rectification_rates"]["120101001"]["implementation_rate"] == {
        "value": 0.2,
        "numerator": 1,
        "denominator": 5,
        "definition": "整改落实到位率 = 参考日期前已销号、或长期整改问题已达到当前阶段目标的问题 ÷ 已反馈的问题。",
    }
    assert body_figures(world.body1, world.term1, D(2024, 5, 1))["organizations_fed_back"].value == 0


def test_inside_the_rectification_period_nobody_is_below_the_line_anywhere(fed, client):
    """Feedback 2024-05-10, rectification report due 2024-07-10: on the feedback day and on the
    deadline the street (0/5 implemented) is "in its period" on every page, figure, assessment and
    in the API; the day after it is below the line everywhere."""
    from django.urls import reverse

    from lijian.analytics.figures import body_figures
    from lijian.core.models import Message
    from lijian.rectification.supervision import evaluation_suggest

    world, inspection, feedback, problems, office, liaison = fed
    client.force_login(office)
    overview = reverse("rectification:index")
    page = reverse("rectification:inspection", args=[inspection.pk])
    below_badge = 'text-bg-danger">低于警戒线'
    for day in (D(2024, 5, 10), D(2024, 7, 10)):
        figures = body_figures(world.body1, world.term1, day)
        assert figures["organizations_fed_back"].value == 1
        assert figures["organizations_below_threshold"].value == 0, day
        assert list(figures["organizations_below_threshold"].records) == []
        html = client.get(overview, {"body": world.body1.pk, "on": day.isoformat()}).content.decode()
        assert "整改期内" in html and below_badge not in html, day
        html = client.get(page, {"on": day.isoformat()}).content.decode()
        assert 'id="in-period"' in html and 'id="below-line"' not in html, day
        api = client.get(f"/api/rectification/inspections/{inspection.pk}/rates", {"on": day.isoformat()})
        assert api.json()["standing"] == "in_period"
        assert evaluation_suggest(world.t1, world.body1, world.term1, day) == {}
        assert services.self_criticisms_assess(actor=office, body=world.body1, term=world.term1, on=day) == []
    assert not Message.objects.filter(key__startswith="self-criticism-due").exists()
    day = D(2024, 7, 11)
    assert body_figures(world.body1, world.term1, day)["organizations_below_threshold"].value == 1
    html = client.get(overview, {"body": world.body1.pk, "on": day.isoformat()}).content.decode()
    assert below_badge in html and "整改期内" not in html
    html = client.get(page, {"on": day.isoformat()}).content.decode()
    assert 'id="below-line"' in html and 'id="in-period"' not in html
    api = client.get(f"/api/rectification/inspections/{inspection.pk}/rates", {"on": day.isoformat()})
    assert api.json()["standing"] == "below"


def test_below_the_threshold_a_self_criticism_is_due_and_tracked_to_acceptance(fed):
    from lijian.rectification.choices import SELF_CRITICISM_TRANSITIONS

    world, inspection, feedback, problems, office, liaison = fed
    # the day after the rectification report was due (7-10): out of the rectification period
    made = services.self_criticisms_assess(
        actor=office, body=world.body1, term=world.term1, on=D(2024, 7, 11)
    )
    assert [(m.organization, m.numerator, m.denominator, m.threshold) for m in made] == [(world.t1, 0, 5, 70)]
    assert (
        services.self_criticisms_assess(actor=office, body=world.body1, term=world.term1, on=D(2024, 7, 12))
        == []
    )
    item = made[0]
    assert item.due_on == D(2024, 8, 10)
    with pytest.raises(ValidationError):
        services.self_criticism_accept(actor=office, item=item)  # nothing submitted yet
    with pytest.raises(PermissionDenied):
        services.self_criticism_submit(actor=office, item=item, text="由巡察办代写的检查内容" * 3)
    with pytest.raises(ValidationError, match="至少 20 个字"):
        services.self_criticism_submit(actor=liaison, item=item, text="太短")
    services.self_criticism_submit(
        actor=liaison, item=item, text="街道党工委整改主体责任落实不力，深刻检查如下……" * 2
    )
    services.self_criticism_return(actor=office, item=item, reason="剖析不深")
    services.self_criticism_submit(
        actor=liaison, item=item, text="再次检查：从思想、制度、作风三方面剖析原因……" * 2
    )
    with pytest.raises(PermissionDenied):
        services.self_criticism_accept(actor=liaison, item=item)
    services.self_criticism_accept(actor=office, item=item, on=D(2024, 8, 10))
    assert item.status == "accepted"
    # still below the line: not again within a quarter of the acceptance, then again
    assess = services.self_criticisms_assess
    assert assess(actor=office, body=world.body1, term=world.term1, on=D(2024, 11, 7)) == []
    again = assess(actor=office, body=world.body1, term=world.term1, on=D(2024, 11, 8))
    assert [m.organization for m in again] == [world.t1]
    assert SELF_CRITICISM_TRANSITIONS.pairs() == {
        ("due", "submitted"),
        ("submitted", "accepted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
    }


def test_interviews_and_accountability_are_recorded_in_scope_and_linked_to_their_cause(fed):
    world, inspection, feedback, problems, office, liaison = fed
    interview = services.interview_record(
        actor=office,
        body=world.body1,
        organization=world.t1,
        interviewer="区委书记",
        interviewee="街道党工委书记",
        reason="整改落实到位率低于70%",
        held_on=D(2024, 7, 5),
        inspection=inspection,
    )
    assert interview.organization == world.t1
    with pytest.raises(PermissionDenied):
        services.interview_record(
            actor=world.outsider,
            body=world.body1,
            organization=world.t1,
            interviewer="x",
            interviewee="y",
            reason="z",
            held_on=D(2024, 7, 5),
        )
    with pytest.raises(ValidationError, match="范围内"):
        services.interview_record(
            actor=office,
            body=world.body1,
            organization=world.t2,
            interviewer="x",
            interviewee="y",
            reason="z",
            held_on=D(2024, 7, 5),
        )
    values = {
        "actor": office,
        "body": world.body1,
        "organization": world.t1,
        "subject_name": "王某",
        "subject_post": "街道党工委书记",
        "action": "admonishment",
        "reason": "整改主体责任落实不力",
        "decided_by": "区纪委监委",
        "decided_on": D(2024, 8, 1),
    }
    with pytest.raises(ValidationError, match="须关联"):
        services.accountability_record(**values)
    item = services.accountability_record(**values, problem=problems["b"], task=problems["b"].task)
    assert item.get_action_display() == "诫勉"
    other = services.interview_record(
        actor=office,
        body=world.body1,
        organization=world.v1,
        interviewer="a",
        interviewee="b",
        reason="c",
        held_on=D(2024, 7, 5),
    )
    assert other.pk
    with pytest.raises(ValidationError, match="不属于该党组织"):
        services.accountability_record(**{**values, "organization": world.v1}, problem=problems["b"])
