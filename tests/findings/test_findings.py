"""Problems, clues and instructions: every allowed and forbidden transition, who may do what, and
what each role can see."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent
from lijian.findings import selectors, services
from lijian.findings.choices import CLUE_TRANSITIONS, REVIEW_TRANSITIONS, ClueStatus, ProblemStatus, Review
from lijian.findings.filters import ProblemFilter
from lijian.findings.models import Clue, Department, Problem
from lijian.rectification.choices import INSTRUCTION_TRANSITIONS
from lijian.rectification.instructions import services as instructions

from ..world import build_findings, build_rounds, category

D = datetime.date


@pytest.fixture
def f(world):
    world.rounds = build_rounds(world)
    world.findings = build_findings(world, world.rounds)
    return world


def _record(world, actor, **extra):
    return services.problem_record(
        actor=actor,
        inspection=world.rounds.inspection1,
        category=category(),
        summary="资金管理混乱",
        found_on=D(2024, 3, 25),
        **extra,
    )


# --- problems -------------------------------------------------------------------------------------


def test_a_group_member_records_a_problem_with_its_analysis_and_it_is_audited(f):
    member = f.users[Role.GROUP_MEMBER]
    problem = _record(
        f,
        member,
        people="村书记",
        matters="违规发放补贴",
        causes="监督缺位",
        systems="无审批制度",
        close_attention=True,
    )
    assert problem.review == "draft" and problem.status == "open"
    assert problem.ref.startswith("P2024-") and problem.recorded_by == member
    assert AuditEvent.objects.filter(action="problem.record", object_id=str(problem.pk)).exists()


def test_problem_refs_are_numbered_on(f):
    a, b = _record(f, f.admin), _record(f, f.admin)
    assert int(b.ref.split("-")[1]) == int(a.ref.split("-")[1]) + 1


@pytest.mark.parametrize("who", ["outsider", Role.LIAISON, Role.DEPARTMENT, Role.LEADER, Role.AUDITOR])
def test_only_the_group_and_the_office_record_problems(f, who):
    user = f.outsider if who == "outsider" else f.users[who]
    with pytest.raises(PermissionDenied):
        _record(f, user)


@pytest.mark.parametrize("stage", ["planned", "preparation", "onsite", "report", "feedback", "rectification"])
def test_problems_are_recorded_from_preparation_to_the_report_only(f, stage):
    inspection = f.rounds.inspection1
    inspection.stage = stage
    inspection.save()
    if stage in ("preparation", "onsite", "report"):
        assert _record(f, f.admin).pk
    else:
        with pytest.raises(ValidationError, match="阶段不能再记录问题"):
            _record(f, f.admin)


def test_a_category_of_the_other_level_or_out_of_force_is_refused(f):
    with pytest.raises(ValidationError, match="不适用于"):
        services.problem_record(
            actor=f.admin,
            inspection=f.rounds.inspection1,
            category=category("1.1", "inspection"),
            summary="x",
            found_on=D(2024, 3, 25),
        )
    from lijian.findings.models import Category

    old = Category.objects.get(framework__code="sanda-wenti-patrol-2017", code="1")
    with pytest.raises(ValidationError, match="未启用"):
        services.problem_record(
            actor=f.admin, inspection=f.rounds.inspection1, category=old, summary="x", found_on=D(2024, 3, 25)
        )
    assert Problem.objects.filter(summary="x").count() == 0


def test_a_found_date_before_the_round_or_in_the_future_is_refused(f):
    for day in (D(2023, 1, 1), datetime.date.today() + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.problem_record(
                actor=f.admin, inspection=f.rounds.inspection1, category=category(), summary="x", found_on=day
            )


def test_review_transitions_are_exactly_the_table(f):
    problem = _record(f, f.users[Role.GROUP_MEMBER])
    deputy = f.users[Role.GROUP_LEADER]  # the deputy of the group in the test world
    assert REVIEW_TRANSITIONS.pairs() == {("draft", "approved"), ("approved", "draft")}
    with pytest.raises(ValidationError, match="理由"):
        services.problem_unapprove(actor=deputy, problem=problem, reason="")
    with pytest.raises(ValidationError, match="不能从"):
        services.problem_unapprove(actor=deputy, problem=problem, reason="写错了")
    services.problem_approve(actor=deputy, problem=problem)
    assert problem.review == "approved" and problem.approved_by == deputy
    with pytest.raises(ValidationError, match="不能从"):
        services.problem_approve(actor=deputy, problem=problem)
    with pytest.raises(ValidationError, match="须先撤回审定"):
        services.problem_update(actor=deputy, problem=problem, summary="改")
    services.problem_unapprove(actor=deputy, problem=problem, reason="事实需要补充")
    assert problem.review == "draft" and problem.approved_by is None
    services.problem_update(actor=deputy, problem=problem, summary="改过的概述")
    assert Problem.objects.get(pk=problem.pk).summary == "改过的概述"


def test_a_plain_member_cannot_approve_and_nothing_changes_after_feedback(f):
    problem = _record(f, f.users[Role.GROUP_MEMBER])
    with pytest.raises(PermissionDenied):
        services.problem_approve(actor=f.users[Role.GROUP_MEMBER], problem=problem)
    services.problem_approve(actor=f.users[Role.OFFICE_STAFF], problem=problem)
    inspection = problem.inspection
    inspection.stage = "feedback"
    inspection.save()
    with pytest.raises(ValidationError, match="已反馈"):
        services.problem_unapprove(actor=f.users[Role.OFFICE_STAFF], problem=problem, reason="晚了")


# --- clues ----------------------------------------------------------------------------------------


def _clue(f, actor=None, **extra):
    return services.clue_record(
        actor=actor or f.users[Role.GROUP_MEMBER],
        inspection=f.rounds.inspection1,
        subject_name="王某",
        subject_post="村委会主任",
        summary="虚报冒领补贴",
        department=f.findings.department1,
        **extra,
    )


def test_a_clue_goes_to_its_department_with_a_sheet_and_a_deadline_from_the_round(f):
    round_ = f.rounds.round1
    round_.clue_feedback_months = 2
    round_.save()
    clue = _clue(f, recorded_on=D(2024, 12, 20))
    assert clue.status == "recorded" and not clue.sheet_no
    services.clue_transfer(actor=f.users[Role.OFFICE_STAFF], clue=clue, transferred_on=D(2024, 12, 31))
    assert clue.status == "transferred" and clue.due_on == D(2025, 2, 28)
    assert clue.sheet_no == f"{round_.body.code}-2024-0002"  # the world transferred 0001 already


def test_only_the_office_transfers_and_only_the_department_answers(f):
    clue = _clue(f)
    for user in (f.users[Role.GROUP_LEADER], f.users[Role.DEPARTMENT], f.outsider):
        with pytest.raises(PermissionDenied):
            services.clue_transfer(actor=user, clue=clue)
    services.clue_transfer(actor=f.users[Role.OFFICE_STAFF], clue=clue)
    for user in (f.users[Role.OFFICE_STAFF], f.users[Role.GROUP_LEADER], f.admin):
        with pytest.raises(PermissionDenied):
            services.clue_accept(actor=user, clue=clue)
    department = f.users[Role.DEPARTMENT]
    services.clue_accept(actor=department, clue=clue)
    services.clue_feed_back(
        actor=department,
        clue=clue,
        result="case_opened",
        feedback="已立案审查",
        party_discipline=1,
        judicial_transfers=1,
        losses_recovered=12.5,
    )
    clue.refresh_from_db()
    assert (clue.status, clue.result, clue.party_discipline, float(clue.losses_recovered)) == (
        "fed_back",
        "case_opened",
        1,
        12.5,
    )


def test_a_department_of_another_committee_is_refused(f):
    with pytest.raises(ValidationError, match="不是"):
        services.clue_record(
            actor=f.admin,
            inspection=f.rounds.inspection1,
            subject_name="x",
            summary="y",
            department=f.findings.department2,
        )


def _clue_in(f, status):
    clue = _clue(f, actor=f.admin)
    clue.status = status
    clue.transferred_on = D(2024, 4, 1)
    clue.due_on = D(2024, 7, 1)
    clue.save()
    return clue


MOVES = {
    ClueStatus.TRANSFERRED: lambda f, c: services.clue_transfer(actor=f.admin, clue=c),
    ClueStatus.HANDLING: lambda f, c: (
        services.clue_return(actor=f.admin, clue=c, reason="不充分")
        if c.status == "fed_back"
        else services.clue_accept(actor=f.users[Role.DEPARTMENT], clue=c)
    ),
    ClueStatus.FED_BACK: lambda f, c: services.clue_feed_back(
        actor=f.users[Role.DEPARTMENT], clue=c, result="inquiry", feedback="已函询"
    ),
    ClueStatus.WITHDRAWN: lambda f, c: services.clue_withdraw(actor=f.admin, clue=c, reason="重复"),
}


@pytest.mark.parametrize("source", ClueStatus.values)
@pytest.mark.parametrize("target", [s for s in ClueStatus.values if s != "recorded"])
def test_every_clue_transition_is_allowed_or_refused_as_the_table_says(f, source, target):
    clue = _clue_in(f, source)
    if CLUE_TRANSITIONS.can(source, target):
        MOVES[target](f, clue)
        assert Clue.objects.get(pk=clue.pk).status == target
    else:
        with pytest.raises(ValidationError):
            MOVES[target](f, clue)
        assert Clue.objects.get(pk=clue.pk).status == source


def test_overdue_clues_are_escalated_once(f):
    clue = f.findings.clue1  # transferred 2024-04-01, due 2024-07-01
    escalated = services.clues_escalate_overdue(today=D(2024, 7, 2))
    assert sorted(c.pk for c in escalated) == sorted([clue.pk, f.findings.clue2.pk])
    assert services.clues_escalate_overdue(today=D(2024, 7, 3)) == []
    assert AuditEvent.objects.filter(action="clue.overdue").count() == 2
    assert Clue.objects.get(pk=clue.pk).overdue_on(D(2024, 7, 2))


def test_a_department_sees_only_its_transfers_and_no_problem(f):
    user = f.users[Role.DEPARTMENT]
    pending = _clue(f)  # recorded, not transferred: invisible to the department
    assert list(selectors.clues_visible(user)) == [f.findings.clue1]
    assert not selectors.problems_visible(user).exists()
    assert pending not in selectors.clues_visible(user)


def test_the_handover_sheet_names_the_clue(f, client):
    from docx import Document
    from docx.oxml.ns import qn

    client.force_login(f.users[Role.DEPARTMENT])
    response = client.get(reverse("findings:clue_sheet", kwargs={"pk": f.findings.clue1.pk}))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert f.findings.clue1.subject_name in text and "区纪委监委1" in text
    # Laid out by the GB/T 9704 engine: A4 with the standard margins (not US Letter with Word's
    # defaults), its number top right, the title in 小标宋, page numbers in the footers.
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 28, 26]
    styled = {p.style.name: p.text for p in document.paragraphs}
    assert styled["发文字号"] == f"编号：{f.findings.clue1.sheet_no}"
    assert styled["公文标题"] == "问题线索移交单"
    assert document.styles["公文标题"].element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert [t.text.strip() for t in section.footer.paragraphs[0]._p.iter(qn("w:instrText"))] == ["PAGE"]


def test_a_department_answers_in_the_ui(f, client):
    client.force_login(f.users[Role.DEPARTMENT])
    clue = f.findings.clue1
    url = reverse("findings:clue_action", kwargs={"pk": clue.pk, "action": "feed_back"})
    response = client.post(
        url,
        {
            "result": "case_opened",
            "feedback": "",
            "party_discipline": 7,
            "organisational_handling": 0,
            "judicial_transfers": 0,
            "losses_recovered": 0,
        },
    )
    assert Clue.objects.get(pk=clue.pk).status == "transferred"  # bad input changes nothing
    form = response.context["feedback_form"]  # and what was typed comes back, the error under its field
    assert form.errors["feedback"] and form["party_discipline"].value() == "7"
    client.post(
        url,
        {
            "result": "case_opened",
            "feedback": "已立案",
            "party_discipline": 2,
            "organisational_handling": 0,
            "judicial_transfers": 0,
            "losses_recovered": 0,
        },
    )
    assert Clue.objects.get(pk=clue.pk).status == "fed_back"


# --- instructions ---------------------------------------------------------------------------------


def test_an_instruction_is_followed_up_until_its_leader_closes_it(f):
    instruction = f.findings.instruction1  # on clue1, by the administrator
    assert INSTRUCTION_TRANSITIONS.pairs() == {
        ("open", "answered"),
        ("answered", "closed"),
        ("answered", "open"),
    }
    with pytest.raises(ValidationError):
        instructions.instruction_close(actor=f.admin, instruction=instruction)
    with pytest.raises(PermissionDenied):
        instructions.instruction_answer(actor=f.users[Role.LIAISON], instruction=instruction, follow_up_given="x")
    instructions.instruction_answer(
        actor=f.users[Role.DEPARTMENT], instruction=instruction, follow_up_given="已核查"
    )
    with pytest.raises(PermissionDenied):
        instructions.instruction_close(
            actor=f.users[Role.LEADER], instruction=instruction
        )  # not the one who gave it
    instructions.instruction_reopen(actor=f.admin, instruction=instruction, follow_up_asked="请补充处理结果")
    instructions.instruction_answer(
        actor=f.users[Role.GROUP_MEMBER], instruction=instruction, follow_up_given="已处理"
    )
    instructions.instruction_close(actor=f.admin, instruction=instruction)
    assert instruction.status == "closed"


def test_a_leader_instructs_only_within_scope(f):
    leader = f.users[Role.LEADER]  # scoped to 和平区
    due = D.today() + datetime.timedelta(days=30)
    charge = {"addressee": f.admin, "deadline": due}
    assert instructions.instruction_give(actor=leader, subject=f.findings.problem1, text="抓紧整改", **charge).pk
    with pytest.raises(PermissionDenied):
        instructions.instruction_give(actor=leader, subject=f.findings.problem2, text="越界", **charge)


# --- taxonomy -------------------------------------------------------------------------------------


def test_a_framework_in_use_is_frozen_and_a_new_version_keeps_old_problems(f):
    framework = f.findings.problem1.category.framework
    with pytest.raises(ValidationError, match="已有问题使用"):
        services.category_save(actor=f.admin, framework=framework, code="9", name="新类")
    new = services.framework_new_version(
        actor=f.admin,
        framework=framework,
        code="sige-jujiao-2030",
        name="四个聚焦（2030版）",
        valid_from=D(2030, 1, 1),
    )
    assert new.categories.count() == framework.categories.count()
    framework.refresh_from_db()
    assert framework.valid_to == D(2029, 12, 31)
    services.category_save(actor=f.admin, framework=new, code="4.2", name="新增细类")
    assert Problem.objects.get(pk=f.findings.problem1.pk).category.framework == framework


def test_departments_are_per_committee(f):
    assert list(selectors.departments_for(f.rounds.inspection1)) == [f.findings.department1]
    assert Department.objects.count() == 2


def test_department_staff_must_hold_the_department_role(f, client):
    department = f.findings.department1
    with pytest.raises(ValidationError, match="没有“协作部门”角色"):
        services.department_set_staff(actor=f.admin, department=department, users=[f.users[Role.LIAISON]])
    with pytest.raises(PermissionDenied):
        services.department_set_staff(actor=f.outsider, department=department, users=[])
    client.force_login(f.users[Role.OFFICE_STAFF])
    client.post(reverse("findings:department_staff", kwargs={"pk": department.pk}), {"usernames": "nobody"})
    assert list(department.staff.all()) == [f.users[Role.DEPARTMENT]]  # an unknown name changes nothing
    created = services.department_create(
        actor=f.users[Role.OFFICE_STAFF], code="HP-SJ", name="和平区审计局", kind="audit", committee=f.d1
    )
    assert created in selectors.departments_for(f.rounds.inspection1)
    with pytest.raises(PermissionDenied):
        services.department_create(
            actor=f.users[Role.OFFICE_STAFF], code="HX-SJ", name="河西区审计局", kind="audit", committee=f.d2
        )


def test_the_taxonomy_page_adds_categories_only_to_unused_frameworks(f, client):
    from lijian.findings.models import Framework

    client.force_login(f.admin)
    old = Framework.objects.get(code="liuxiang-jilv-2015")
    used = f.findings.problem1.category.framework
    client.post(
        reverse("findings:taxonomy_edit", kwargs={"pk": old.pk, "action": "category"}),
        {"code": "6.1", "name": "违反生活纪律的具体表现"},
    )
    assert old.categories.filter(code="6.1", parent__code="6").exists()
    response = client.post(
        reverse("findings:taxonomy_edit", kwargs={"pk": used.pk, "action": "category"}),
        {"code": "9", "name": "不该加"},
        follow=True,
    )
    assert "已有问题使用" in response.content.decode() and not used.categories.filter(code="9").exists()


def test_the_problem_ledger_filters_by_body_round_organisation_category_and_status(f, client):
    extra = _record(f, f.admin, close_attention=True)
    client.force_login(f.admin)
    url = reverse("findings:problems")

    def refs(**query):
        return {p.ref for p in client.get(url, query).context["page"]}

    everything = refs()
    assert {f.findings.problem1.ref, f.findings.problem2.ref, extra.ref} <= everything
    assert refs(body=f.body2.pk) == {f.findings.problem2.ref}
    assert refs(body=f.body1.pk, number=1) == {f.findings.problem1.ref, extra.ref}
    assert refs(number=2) == set()
    assert refs(org="120103001") == {f.findings.problem2.ref}
    assert refs(close_attention="on") == {extra.ref}
    top = category().parent
    assert refs(category=top.pk) == everything
    assert refs(review="approved") == set() and refs(status="open") == everything


def test_a_relay_round_lists_the_upper_rounds_open_problems_for_its_organisations(f, client):
    from lijian.inspections.models import Group, Inspection, LinkageMode, Round
    from lijian.orgs.models import Term

    city_term = Term.objects.get(body=f.city_body)
    group = Group.objects.create(body=f.city_body, number=1, name="第一巡视组")
    upper = Round.objects.create(
        body=f.city_body, term=city_term, number=1, start=D(2024, 1, 2), end=D(2024, 3, 1)
    )
    at_district = Inspection.objects.create(
        round=upper, organization=f.d1, group=group, stage="onsite", onsite_start=D(2024, 1, 10)
    )
    elsewhere = Inspection.objects.create(
        round=upper, organization=f.d2, group=group, stage="onsite", onsite_start=D(2024, 1, 10)
    )
    inspection_category = category("2.1", "inspection")
    open_here, closed_here, other = (
        services.problem_record(
            actor=f.admin, inspection=i, category=inspection_category, summary=s, found_on=D(2024, 1, 20)
        )
        for i, s in (
            (at_district, "区委落实主体责任不力"),
            (at_district, "已整改的问题"),
            (elsewhere, "别区的问题"),
        )
    )
    closed_here.status = "closed"
    closed_here.save()
    relay = f.rounds.round1  # 和平区's round, targeting the street under the district committee
    relay.linkage_mode = LinkageMode.objects.get(code="relay")
    relay.upper_round = upper
    relay.save()
    assert list(selectors.relay_problems(relay)) == [open_here]
    client.force_login(f.users[Role.OFFICE_STAFF])
    page = client.get(reverse("inspections:round", kwargs={"pk": relay.pk})).content.decode()
    assert "区委落实主体责任不力" in page and "别区的问题" not in page and "已整改的问题" not in page


def test_open_instructions_come_first_and_a_department_keeps_a_handler_while_clues_are_open(f, client):
    done = f.findings.instruction1
    instructions.instruction_answer(actor=f.admin, instruction=done, follow_up_given="已办")
    instructions.instruction_close(actor=f.admin, instruction=done)
    fresh = instructions.instruction_give(
        actor=f.admin,
        subject=f.findings.clue1,
        text="再核实",
        addressee=f.users[Role.DEPARTMENT],
        deadline=D.today() + datetime.timedelta(days=30),
    )
    client.force_login(f.admin)
    listed = list(client.get(reverse("instructions:list")).context["page"])
    assert listed.index(fresh) < listed.index(done)
    with pytest.raises(ValidationError, match="至少保留一名经办人员"):
        services.department_set_staff(actor=f.admin, department=f.findings.department1, users=[])


def test_the_api_refuses_a_bad_answer_and_an_answer_from_anyone_but_the_department(f, client):
    url = f"/api/clues/{f.findings.clue1.pk}/feedback"
    client.force_login(f.users[Role.DEPARTMENT])
    bad = client.post(
        url,
        {"result": "inquiry", "feedback": "已函询", "party_discipline": -1},
        content_type="application/json",
    )
    assert bad.status_code == 422
    empty = client.post(url, {"result": "inquiry", "feedback": " "}, content_type="application/json")
    assert empty.status_code == 422 and "feedback" in empty.json()["detail"]
    assert Clue.objects.get(pk=f.findings.clue1.pk).status == "transferred"
    client.force_login(f.users[Role.OFFICE_STAFF])  # sees the clue, but answers nothing
    assert (
        client.post(
            url, {"result": "inquiry", "feedback": "代答"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_the_ledgers_body_filter_offers_exactly_the_bodies_with_problems_the_user_sees(world):
    """The filter asks one EXISTS per body; it must list what reading every visible problem listed."""
    build_findings(world, build_rounds(world))
    users = [world.admin, world.outsider, *world.users.values()]
    offered_somewhere = set()
    for user in users:
        expected = set(
            selectors.problems_visible(user).values_list("inspection__round__body__code", flat=True)
        )
        offered = list(selectors.bodies_with_problems(user).values_list("code", flat=True))
        assert set(offered) == expected, user
        assert offered == sorted(offered)
        offered_somewhere |= set(offered)
    assert offered_somewhere, "the world has problems, so someone is offered a body"
    assert world.city_body.code not in offered_somewhere  # a body without problems is never offered


def test_the_problem_api_filters_by_status_and_review_as_the_ledger_page_does(f, client):
    """One FilterSet for the page and the API: the same value keeps the same problems in both."""
    office = f.users[Role.OFFICE_STAFF]
    services.problem_approve(actor=office, problem=f.findings.problem1)  # one approved, others not
    client.force_login(office)
    visible = selectors.problems_visible(office)
    bodies = selectors.bodies_with_problems(office)
    seen = set()
    for name, values in (("status", ProblemStatus.values), ("review", Review.values)):
        for value in values:
            answer = client.get("/api/problems/", {name: value, "limit": 200})
            assert answer.status_code == 200, answer.content
            api_ids = {item["id"] for item in answer.json()["items"]}
            page = ProblemFilter({name: value}, visible, bodies=bodies)
            assert page.is_valid()
            assert api_ids == set(page.qs.values_list("pk", flat=True)), (name, value)
            seen.add(frozenset(api_ids))
    everything = {item["id"] for item in client.get("/api/problems/", {"limit": 200}).json()["items"]}
    assert everything and len(seen) > 1  # some value keeps some problems and another keeps others
    assert client.get("/api/problems/", {"status": "nonsense"}).status_code == 422
