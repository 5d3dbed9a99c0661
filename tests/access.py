"""The access sweep's table: every URL pattern and API operation with how to reach it in and out of
the role's scope and the one answer each role gets (tests/core/test_routes.py walks it; the
post-access, bad-parameter and XSS sweeps reuse it)."""

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from lijian.accounts.choices import ROLE_PERMISSIONS, Role
from lijian.analytics.cockpit import CHARTS
from lijian.analytics.cockpit_rankings import RANKINGS
from lijian.analytics.common import group_key
from lijian.analytics.models import CommonProblemProposal
from lijian.core.permissions import Perm
from lijian.documents.models import LedgerImportJob
from lijian.people.models import Skill

counter = itertools.count()


@dataclass
class Spec:
    obj: Callable | None = None  # (world, user, inside) -> kwargs for reverse()
    post_only: bool = False  # an action: checked with a POST (empty unless ``data`` gives a body)
    # The answer in scope to a role holding the permission: 200 for a page, 302 for an action.
    ok: int | None = None
    scoped: bool = True  # False: system-wide data (reference lists) has no "outside"
    office_only: bool = False  # group leaders and members get 404 even inside their scope
    # Roles whose answer in scope differs from ``ok``: the action needs a relation to the record beyond
    # the route's permission (the receiving department, the leader who gave the instruction), so
    # others holding the permission are refused with 403; for public routes, the anonymous answer.
    answers: dict = field(default_factory=dict)
    data: Callable | None = None  # (world) -> a valid POST body


def _org(w, user, inside):
    return {"pk": (w.t1 if inside else w.t2).pk}


def _body(w, user, inside):
    return {"pk": (w.body1 if inside else w.body2).pk}


def _user(w, user, inside):
    return {"pk": (w.users[Role.GROUP_MEMBER] if inside else w.outsider).pk}


def _r(w, attr):
    return getattr(w.rounds, attr)


def _round(w, user, inside):
    return {"pk": _r(w, "round1" if inside else "round2").pk}


def _inspection(w, user, inside):
    return {"pk": _r(w, "inspection1" if inside else "inspection2").pk}


def _absence(w, inside):
    """A declared absence of each district's cadre, outside its round's dates (made on first use)."""
    from lijian.people.models import Absence

    cadre = _r(w, "cadre1" if inside else "cadre2")
    absence, _created = Absence.objects.get_or_create(
        cadre=cadre, kind="training", start=datetime.date(2025, 1, 6), end=datetime.date(2025, 1, 10)
    )
    return absence.pk


def _run(w, user, inside):
    return {"pk": _r(w, "run1" if inside else "run2").pk}


def _cadre(w, user, inside):
    return {"pk": _r(w, "cadre1" if inside else "cadre2").pk}


def _f(w, attr, inside):
    return getattr(w.findings, attr + ("1" if inside else "2")).pk


def _p(w, attr, inside):
    return getattr(w.petitions, attr + ("1" if inside else "2")).pk


def _x(w, attr, inside):
    return getattr(w.rect, attr + ("1" if inside else "2")).pk


def _notice(w, user, inside):
    from lijian.core.models import Message

    owner = (user or w.admin) if inside else w.outsider  # anyone else's notice answers 404
    return {"pk": Message.objects.create(recipient=owner, key=f"route:{next(counter)}", text="消息").pk}


def _problem(w, user, inside):
    return {"pk": _f(w, "problem", inside)}


def _clue(w, user, inside):
    return {"pk": _f(w, "clue", inside)}


def _job(w, user, inside):
    owner = (user or w.admin) if inside else w.outsider
    job = LedgerImportJob.objects.create(
        created_by=owner, original_name="x.zip", stored_name=f"s{next(counter)}.zip"
    )
    return {"pk": job.pk}


def _failed_job(w, user, inside):
    """A finished import that found an error (its errors download as a workbook)."""
    found = _job(w, user, inside)
    report = {"ok": False, "errors": [{"file": "x.zip", "line": 0, "column": "", "reason": "坏"}]}
    LedgerImportJob.objects.filter(pk=found["pk"]).update(status="failed", report=report)
    return found


def _document(w, inside):
    """A fresh draft of the test kind (tests/documents/kind.py) of 和平's body (inside) or 河西's."""
    from lijian.documents import official

    from .documents.kind import register_test_kind

    register_test_kind()
    organ = w.body1 if inside else w.body2
    return official.document_draft(actor=w.admin, kind="test_notice", organ_id=organ.pk)


def _draft_payload(w, inside):
    """A draft of the test kind for 和平's body (inside) or 河西's, as the API takes it."""
    from .documents.kind import register_test_kind

    register_test_kind()
    return {"kind": "test_notice", "organ": (w.body1 if inside else w.body2).pk}


def _doc(w, user, inside):
    return {"pk": _document(w, inside).pk}


def _doc_version(w, user, inside):
    return {"pk": _document(w, inside).versions.get().pk}


def _g(w, attr, inside):
    """The pk of the committee's record ``attr`` of 和平 (inside) or 河西, built on first use."""
    if getattr(w, "gov", None) is None:
        from .world import build_governance

        w.gov = build_governance(w)
    return getattr(w.gov, attr + ("1" if inside else "2")).pk


def _gd(w, attr, inside):
    """The pk of the guidance record ``attr`` of 和平 (inside) or 河西, built on first use."""
    from .world_guidance import build_guidance

    return getattr(build_guidance(w), attr + ("1" if inside else "2")).pk


def _common_key(w, inside):
    """The key of the group of one problem: each district's problem, alone in its group."""
    return group_key([_f(w, "problem", inside)])


def _common_proposal(w, inside):
    """A system-level item proposed from each district's problem (made on use)."""
    proposal = CommonProblemProposal.objects.create(
        kind="system", body=w.body1 if inside else w.body2, title="健全制度"
    )
    proposal.problems.set([_f(w, "problem", inside)])
    return proposal.pk


URL_SPECS = {
    "core:home": Spec(),
    "core:audit": Spec(),
    "core:set_language": Spec(ok=302),  # back to the page it came from
    "core:reference": Spec(),
    "core:messages": Spec(),
    "core:messages_read": Spec(post_only=True),
    "core:message": Spec(obj=_notice),
    "core:reference_table": Spec(obj=lambda w, u, i: {"key": "skills"}, scoped=False),
    "core:reference_entry": Spec(
        obj=lambda w, u, i: {"key": "skills", "pk": Skill.objects.order_by("pk").first().pk},
        scoped=False,
    ),
    "accounts:login": Spec(ok=302, answers={None: 200}),  # a signed-in user is sent on to the home page
    "accounts:logout": Spec(post_only=True),
    "accounts:profile": Spec(),
    "accounts:totp_setup": Spec(),
    "accounts:totp_disable": Spec(post_only=True),
    "accounts:users": Spec(),
    "accounts:user_create": Spec(),
    "accounts:user_detail": Spec(obj=_user),
    "accounts:approvals": Spec(),
    "orgs:tree": Spec(ok=302),  # on to the user's own subtree
    "orgs:search": Spec(),
    "orgs:pick": Spec(),  # pickers: without a query, an empty list (tests/core/test_pickers.py)
    "orgs:pick_body": Spec(),
    "orgs:detail": Spec(obj=_org),
    "orgs:children": Spec(obj=_org),
    "orgs:edit": Spec(obj=_org),
    "orgs:create_child": Spec(obj=_org),
    "orgs:body_create": Spec(obj=_org),
    "orgs:bodies": Spec(),
    "orgs:body_detail": Spec(obj=_body),
    "orgs:term_create": Spec(obj=_body),
    "orgs:body_edit": Spec(obj=_body),
    "orgs:term_edit": Spec(obj=lambda w, user, inside: {"pk": (w.term1 if inside else w.term2).pk}),
    "documents:ledger": Spec(),
    "documents:ledger_upload": Spec(post_only=True, ok=200),  # the form again, saying what is missing
    "documents:job": Spec(obj=_job),
    "documents:job_confirm": Spec(obj=_job, post_only=True),  # not a preview: refused on the job's page
    "documents:job_errors": Spec(obj=_failed_job),
    "documents:job_errors_link": Spec(obj=_failed_job),
    "documents:ledger_download": Spec(post_only=True),
    "documents:official_list": Spec(),
    "documents:official_new": Spec(),
    "documents:official": Spec(obj=_doc),
    "documents:official_wording": Spec(obj=_doc, post_only=True),  # nothing sent: nothing changes
    "documents:official_regenerate": Spec(obj=_doc, post_only=True, ok=200),  # asks for the date
    "documents:official_issue": Spec(obj=_doc, post_only=True),
    "documents:official_version": Spec(obj=_doc_version),
    "documents:official_download": Spec(obj=lambda w, u, i: {**_doc_version(w, u, i), "fmt": "docx"}),
    "inspections:rounds": Spec(),
    "inspections:my_group": Spec(),
    "inspections:round_create": Spec(obj=_body),
    "inspections:term_plan": Spec(obj=_body),
    "inspections:term_plan_round": Spec(obj=_body, post_only=True),
    "inspections:risk_set": Spec(obj=_body, post_only=True),
    "inspections:rules": Spec(obj=_body),
    "inspections:round": Spec(obj=_round),
    "inspections:round_edit": Spec(obj=_round),
    "inspections:round_reopen_staffing": Spec(obj=_round, post_only=True),
    "inspections:group": Spec(
        obj=lambda w, u, i: {"pk": _r(w, "round1" if i else "round2").groups.first().pk}, office_only=True
    ),
    "inspections:round_add_targets": Spec(obj=_round, post_only=True, ok=200),
    "inspections:round_remove_target": Spec(
        obj=lambda w, u, i: {**_round(w, u, i), "inspection": _r(w, "spare1" if i else "spare2").pk},
        post_only=True,
    ),
    "inspections:plan_submit": Spec(obj=_round, post_only=True),
    "inspections:plan": Spec(obj=_run),
    "inspections:plan_member": Spec(obj=_run, post_only=True),
    "inspections:plan_confirm": Spec(obj=_run, post_only=True),
    "inspections:inspection": Spec(obj=_inspection),
    "inspections:inspection_stage": Spec(
        obj=lambda w, u, i: {**_inspection(w, u, i), "action": "prepare"}, post_only=True
    ),
    "inspections:activity_record": Spec(obj=_inspection, post_only=True, ok=200),
    "people:pool": Spec(),
    "people:cadre_create": Spec(),
    "people:pick": Spec(),
    "people:cadre": Spec(obj=_cadre),
    "people:cadre_edit": Spec(obj=_cadre),
    "people:conflict_declare": Spec(obj=_cadre, post_only=True, ok=200),
    "people:conflict_withdraw": Spec(
        obj=lambda w, u, i: {"pk": _r(w, "conflict1" if i else "conflict2").pk}, post_only=True
    ),
    "people:absence_declare": Spec(obj=_cadre, post_only=True, ok=200),
    "people:absence_withdraw": Spec(obj=lambda w, u, i: {"pk": _absence(w, i)}, post_only=True),
    "findings:problems": Spec(),
    "findings:problem": Spec(obj=_problem),
    "findings:problem_edit": Spec(obj=_problem),
    "findings:problem_review": Spec(  # the group's leader and deputies review, not its members
        obj=lambda w, u, i: {**_problem(w, u, i), "action": "approve"},
        post_only=True,
        answers={Role.GROUP_MEMBER: 403},
    ),
    "findings:problem_create": Spec(obj=_inspection),
    "findings:clue_create": Spec(obj=_inspection),
    "findings:clues": Spec(),
    "findings:clue": Spec(obj=_clue),
    "findings:clue_sheet": Spec(  # the transfer sheet: the office and the receiving department only
        obj=_clue,
        answers=dict.fromkeys((Role.GROUP_LEADER, Role.GROUP_MEMBER, Role.LEADER, Role.AUDITOR), 403),
    ),
    "findings:clue_action": Spec(  # the office sends a department's answer back
        obj=lambda w, u, i: {**_clue(w, u, i), "action": "return"},
        post_only=True,
        ok=200,  # the office: the clue's page again, asking for the reason
        answers=dict.fromkeys(
            (Role.GROUP_LEADER, Role.GROUP_MEMBER, Role.DEPARTMENT, Role.LEADER, Role.AUDITOR), 403
        ),
    ),
    "findings:attach": Spec(  # evidence is added by those who work the clue, not by readers
        obj=lambda w, u, i: {**_clue(w, u, i), "kind": "clue"},
        post_only=True,
        answers=dict.fromkeys((Role.LEADER, Role.AUDITOR), 403),
    ),
    "instructions:give": Spec(obj=lambda w, u, i: {**_problem(w, u, i), "kind": "problem"}, post_only=True),
    "findings:attachment": Spec(obj=lambda w, u, i: {"pk": _f(w, "attachment", i)}),
    "instructions:list": Spec(),
    "instructions:action": Spec(  # only the leader who gave the instruction closes it
        obj=lambda w, u, i: {"pk": _f(w, "instruction", i), "action": "close"},
        post_only=True,
        answers=dict.fromkeys(
            (
                Role.OFFICE_STAFF,
                Role.GROUP_LEADER,
                Role.GROUP_MEMBER,
                Role.DEPARTMENT,
                Role.LEADER,
                Role.AUDITOR,
            ),
            403,
        ),
    ),
    "findings:taxonomy": Spec(),
    "findings:taxonomy_edit": Spec(
        obj=lambda w, u, i: {"pk": w.findings.problem1.category.framework_id, "action": "category"},
        post_only=True,
        scoped=False,
    ),
    "findings:departments": Spec(),
    "findings:department_staff": Spec(
        obj=lambda w, u, i: {"pk": getattr(w.findings, "department1" if i else "department2").pk},
        post_only=True,
    ),
    "petitions:list": Spec(),
    "petitions:create": Spec(),
    "petitions:petition": Spec(obj=lambda w, u, i: {"pk": _p(w, "petition", i)}),
    "petitions:reveal": Spec(  # the form asking why; never an administrator
        obj=lambda w, u, i: {"pk": _p(w, "petition", i)},
        post_only=True,
        ok=200,
        answers={Role.ADMINISTRATOR: 403},
    ),
    "petitions:action": Spec(  # the handling group and the office answer; readers are refused
        obj=lambda w, u, i: {"pk": _p(w, "petition", i), "action": "answer"},
        post_only=True,
        answers=dict.fromkeys((Role.LEADER, Role.AUDITOR), 403),
    ),
    "public_report": Spec(obj=lambda w, u, i: {"token": w.petitions.token1}, scoped=False),
    "public_status": Spec(),
    "analytics:body": Spec(obj=_body),
    "analytics:records": Spec(obj=lambda w, u, i: {**_body(w, u, i), "key": "inspected_organizations"}),
    "analytics:cockpit": Spec(),
    "analytics:cockpit_records": Spec(
        obj=lambda w, u, i: {**_body(w, u, i), "chart": "coverage", "mark": "remaining"}
    ),
    "analytics:common": Spec(),
    "analytics:common_propose": Spec(obj=lambda w, u, i: {"key": _common_key(w, i)}),
    "analytics:common_proposal": Spec(obj=lambda w, u, i: {"pk": _common_proposal(w, i)}),
    "analytics:common_group": Spec(obj=lambda w, u, i: {"key": _common_key(w, i)}),
    "analytics:common_round_targets": Spec(obj=_round, post_only=True),
    "rectification:index": Spec(),
    "rectification:inspection": Spec(obj=lambda w, u, i: {"pk": _x(w, "inspection", i)}),
    "rectification:feedback_give": Spec(obj=lambda w, u, i: {"pk": _x(w, "inspection", i)}),
    "rectification:feedback_document": Spec(obj=lambda w, u, i: {"pk": _x(w, "inspection", i)}),
    "rectification:report_submit": Spec(
        obj=lambda w, u, i: {"pk": _x(w, "inspection", i), "kind": "top_leader"}
    ),
    "rectification:supervise": Spec(obj=lambda w, u, i: {"pk": _x(w, "inspection", i)}),
    "rectification:evaluate": Spec(obj=lambda w, u, i: {"pk": _x(w, "inspection", i)}),
    "rectification:disclose": Spec(obj=lambda w, u, i: {"pk": _x(w, "inspection", i)}),
    "rectification:liaison_new": Spec(obj=lambda w, u, i: {"pk": _x(w, "inspection", i)}),
    "rectification:report_document": Spec(obj=lambda w, u, i: {"pk": _x(w, "report", i)}),
    "rectification:problem": Spec(obj=lambda w, u, i: {"pk": _x(w, "problem", i)}),
    "rectification:task_add": Spec(obj=lambda w, u, i: {"pk": _x(w, "problem", i)}),
    "rectification:problem_move": Spec(  # closing is the group leader's, a deputy's or the office's
        obj=lambda w, u, i: {"pk": _x(w, "problem", i), "action": "close"},
        post_only=True,
        answers=dict.fromkeys((Role.GROUP_MEMBER, Role.LIAISON, Role.LEADER, Role.AUDITOR), 403),
    ),
    "rectification:task_action": Spec(  # the group's leader and deputies and the office accept
        obj=lambda w, u, i: {"pk": _x(w, "task", i), "action": "accept"},
        post_only=True,
        answers=dict.fromkeys((Role.GROUP_MEMBER, Role.LIAISON, Role.LEADER, Role.AUDITOR), 403),
    ),
    "rectification:evidence": Spec(obj=lambda w, u, i: {"pk": _x(w, "evidence", i)}),
    "rectification:self_criticisms": Spec(),
    "rectification:self_criticism": Spec(
        obj=lambda w, u, i: {"pk": _x(w, "self_criticism", i)}, office_only=True
    ),
    "rectification:interviews": Spec(),
    "rectification:interview_new": Spec(),
    "rectification:accountability": Spec(),
    "rectification:accountability_new": Spec(),
    "rectification:evaluations": Spec(),
    "rectification:disclosures": Spec(),
    "rectification:disclosure_withdraw": Spec(
        obj=lambda w, u, i: {"pk": _x(w, "disclosure", i)}, post_only=True
    ),
    "public_rectification": Spec(obj=lambda w, u, i: {"code": w.t1.code}, scoped=False),
    "governance:meetings": Spec(),
    "governance:meeting_create": Spec(),
    "governance:meeting": Spec(obj=lambda w, u, i: {"pk": _g(w, "meeting", i)}),
    "governance:meeting_edit": Spec(obj=lambda w, u, i: {"pk": _g(w, "meeting", i)}),
    "governance:meeting_instruct": Spec(  # a leader or the office; auditors read only
        obj=lambda w, u, i: {"pk": _g(w, "meeting", i)}, answers={Role.AUDITOR: 403}
    ),
    "governance:instructions": Spec(),
    "governance:instruction_action": Spec(  # the office (or the account charged) reports the follow-up
        obj=lambda w, u, i: {"pk": _g(w, "instruction", i), "action": "answer"},
        post_only=True,
        answers=dict.fromkeys((Role.LEADER, Role.AUDITOR), 403),
    ),
    "governance:regulations": Spec(),
    "governance:regulation_create": Spec(),
    "governance:regulation": Spec(obj=lambda w, u, i: {"pk": _g(w, "regulation", i)}),
    "governance:regulation_edit": Spec(obj=lambda w, u, i: {"pk": _g(w, "regulation", i)}),
    "governance:regulation_action": Spec(  # restoring a rule in force is refused with a message
        obj=lambda w, u, i: {"pk": _g(w, "regulation", i), "action": "restore"}, post_only=True
    ),
    "governance:exposures": Spec(),
    "governance:exposure_create": Spec(),
    "governance:exposure": Spec(obj=lambda w, u, i: {"pk": _g(w, "exposure", i)}),
    "governance:exposure_edit": Spec(obj=lambda w, u, i: {"pk": _g(w, "exposure", i)}),
    "guidance:index": Spec(),
    "guidance:reviews": Spec(),
    "guidance:review_new": Spec(),
    "guidance:review": Spec(obj=lambda w, u, i: {"pk": _gd(w, "review", i)}),
    "guidance:review_action": Spec(  # an empty start form: back to the review, saying what is missing
        obj=lambda w, u, i: {"pk": _gd(w, "review", i), "action": "start"}, post_only=True
    ),
    "guidance:review_attach": Spec(obj=lambda w, u, i: {"pk": _gd(w, "review", i)}, post_only=True),
    "guidance:review_file": Spec(obj=lambda w, u, i: {"pk": _gd(w, "file", i)}),
    "guidance:self_inspections": Spec(),
    "guidance:self_inspection_new": Spec(),
    "guidance:self_inspection": Spec(obj=lambda w, u, i: {"pk": _gd(w, "self_inspection", i)}),
    "guidance:self_inspection_action": Spec(
        obj=lambda w, u, i: {"pk": _gd(w, "self_inspection", i), "action": "close"}, post_only=True
    ),
    "guidance:assessments": Spec(),
    "guidance:assessment_new": Spec(),
    "guidance:assessment": Spec(obj=lambda w, u, i: {"pk": _gd(w, "assessment", i)}),
    "guidance:assessment_action": Spec(  # ranked already: refused with a message on the page
        obj=lambda w, u, i: {"pk": _gd(w, "assessment", i), "action": "compute"}, post_only=True
    ),
    "guidance:candidate_action": Spec(
        obj=lambda w, u, i: {"pk": _gd(w, "candidate", i), "action": "drop"}, post_only=True
    ),
    "api:openapi-json": Spec(),
    "api:openapi-view": Spec(),
    "api:api-root": Spec(ok=404),  # ninja answers 404 with a pointer to the docs
}


def _org_payload(w, inside):
    return {
        "parent_id": (w.t1 if inside else w.t2).pk,
        "code": f"N{next(counter)}",
        "name": "新支部",
        "kind": "branch",
    }


def _body_payload(w, inside):
    return {
        "code": f"B{next(counter)}",
        "name": "新机构",
        "level": "patrol",
        "owner_org_id": (w.t1 if inside else w.t2).pk,
    }


def _term_payload(w, inside):
    year = 2030 + next(counter)
    return {
        "body_id": (w.body1 if inside else w.body2).pk,
        "name": f"届{year}",
        "start": f"{year}-01-01",
        "end": f"{year}-12-31",
    }


# (method, path) -> (path params builder or None, payload builder or None, success status)
API_SPECS = {
    ("GET", "/orgs/"): (None, None, 200),
    ("POST", "/orgs/"): (None, _org_payload, 201),
    ("GET", "/orgs/{org_id}"): (lambda w, i: {"org_id": (w.t1 if i else w.t2).pk}, None, 200),
    ("PATCH", "/orgs/{org_id}"): (
        lambda w, i: {"org_id": (w.t1 if i else w.t2).pk},
        lambda w, i: {"name": "改名"},
        200,
    ),
    ("GET", "/bodies/"): (None, None, 200),
    ("POST", "/bodies/"): (None, _body_payload, 201),
    ("GET", "/bodies/{body_id}"): (lambda w, i: {"body_id": (w.body1 if i else w.body2).pk}, None, 200),
    ("PATCH", "/bodies/{body_id}"): (
        lambda w, i: {"body_id": (w.body1 if i else w.body2).pk},
        lambda w, i: {"authorized_posts": 13},
        200,
    ),
    ("GET", "/terms/"): (None, None, 200),
    ("POST", "/terms/"): (None, _term_payload, 201),
    ("GET", "/problems/"): (None, None, 200),
    ("GET", "/problems/{problem_id}"): (lambda w, i: {"problem_id": _f(w, "problem", i)}, None, 200),
    ("GET", "/clues/"): (None, None, 200),
    ("GET", "/clues/{clue_id}"): (lambda w, i: {"clue_id": _f(w, "clue", i)}, None, 200),
    ("POST", "/clues/{clue_id}/accept"): (lambda w, i: {"clue_id": _f(w, "clue", i)}, lambda w, i: {}, 200),
    ("POST", "/clues/{clue_id}/feedback"): (
        lambda w, i: {"clue_id": _f(w, "clue", i)},
        lambda w, i: {"result": "inquiry", "feedback": "已谈话函询"},
        200,
    ),
    ("GET", "/documents/official/"): (None, None, 200),
    ("POST", "/documents/official/"): (None, _draft_payload, 201),
    ("GET", "/documents/official/{document_id}"): (
        lambda w, i: {"document_id": _document(w, i).pk},
        None,
        200,
    ),
    ("GET", "/documents/official/{document_id}/versions"): (
        lambda w, i: {"document_id": _document(w, i).pk},
        None,
        200,
    ),
    ("GET", "/documents/official/{document_id}/versions/{n}/{fmt}"): (
        lambda w, i: {"document_id": _document(w, i).pk, "n": 1, "fmt": "docx"},
        None,
        200,
    ),
    ("POST", "/documents/official/{document_id}/issue"): (
        lambda w, i: {"document_id": _document(w, i).pk},
        lambda w, i: {},
        200,
    ),
    ("GET", "/petitions/"): (None, None, 200),
    ("GET", "/petitions/{petition_id}"): (lambda w, i: {"petition_id": _p(w, "petition", i)}, None, 200),
    ("GET", "/rectification/inspections/"): (None, None, 200),
    ("GET", "/rectification/inspections/{inspection_id}/rates"): (
        lambda w, i: {"inspection_id": _x(w, "inspection", i)},
        None,
        200,
    ),
    ("GET", "/rectification/problems/{problem_id}"): (
        lambda w, i: {"problem_id": _x(w, "problem", i)},
        None,
        200,
    ),
    ("POST", "/rectification/problems/{problem_id}/tasks"): (
        lambda w, i: {"problem_id": _x(w, "problem", i)},
        lambda w, i: {
            "measure": "完善制度",
            "responsible_leader": "书记",
            "responsible_department": "党政办",
            "deadline": "2024-09-30",
        },
        201,
    ),
    # Accepting and closing are the inspection side's: a group member (not the leader or a deputy)
    # holds the route's permission but is refused (403); the others are refused with 422, since the
    # world's task has no progress yet and its problem no evidence (the access check came first).
    ("POST", "/rectification/tasks/{task_id}/accept"): (
        lambda w, i: {"task_id": _x(w, "task", i)},
        lambda w, i: {},
        {"*": 422, Role.GROUP_MEMBER: 403},
    ),
    # Returning is the inspection side's too (403 for others); a task already accepted or returned
    # is refused with 422.
    ("POST", "/rectification/tasks/{task_id}/return"): (
        lambda w, i: {"task_id": _x(w, "task", i)},
        lambda w, i: {"comment": "请细化整改措施"},
        {"*": 422, Role.GROUP_MEMBER: 403},
    ),
    ("POST", "/rectification/tasks/{task_id}/complete"): (
        lambda w, i: {"task_id": _x(w, "task", i)},
        lambda w, i: {"on": "2024-07-20"},
        422,  # the liaison's task is not yet accepted
    ),
    ("POST", "/rectification/problems/{problem_id}/close"): (
        lambda w, i: {"problem_id": _x(w, "problem", i)},
        lambda w, i: {"on": "2024-08-01", "reason": "已清退"},
        {"*": 422, Role.GROUP_MEMBER: 403},
    ),
    ("GET", "/governance/meetings/"): (None, None, 200),
    ("GET", "/governance/meetings/{meeting_id}"): (
        lambda w, i: {"meeting_id": _g(w, "meeting", i)},
        None,
        200,
    ),
    ("GET", "/governance/meeting-instructions/"): (None, None, 200),
    ("GET", "/governance/regulations/"): (None, None, 200),
    ("GET", "/governance/regulations/{regulation_id}"): (
        lambda w, i: {"regulation_id": _g(w, "regulation", i)},
        None,
        200,
    ),
    ("GET", "/governance/exposures/"): (None, None, 200),
    ("GET", "/governance/exposures/{exposure_id}"): (
        lambda w, i: {"exposure_id": _g(w, "exposure", i)},
        None,
        200,
    ),
    ("PATCH", "/terms/{term_id}"): (
        lambda w, i: {"term_id": (w.term1 if i else w.term2).pk},
        lambda w, i: {"name": f"第{next(counter)}届"},
        200,
    ),
    ("GET", "/guidance/reviews/"): (None, None, 200),
    ("GET", "/guidance/reviews/{review_id}"): (lambda w, i: {"review_id": _gd(w, "review", i)}, None, 200),
    # Returning and accepting are the reviewing office's; the world's material is not yet under review (422).
    ("POST", "/guidance/reviews/{review_id}/return"): (
        lambda w, i: {"review_id": _gd(w, "review", i)},
        lambda w, i: {"opinions": "请补充巡察整改情况"},
        422,
    ),
    ("POST", "/guidance/reviews/{review_id}/accept"): (
        lambda w, i: {"review_id": _gd(w, "review", i)},
        lambda w, i: {},
        422,
    ),
    ("GET", "/guidance/self-inspections/{inspection_id}/notice"): (
        lambda w, i: {"inspection_id": _gd(w, "self_inspection", i)},
        None,
        200,
    ),
    ("GET", "/analytics/common-problems/"): (None, None, 200),
    ("POST", "/analytics/common-problems/proposals"): (
        None,
        lambda w, i: {
            "kind": "system",
            "body_id": (w.body1 if i else w.body2).pk,
            "title": "健全制度",
            "problem_ids": [_f(w, "problem", i)],
            "responsible": "区委办公室",
            "due_on": "2026-12-31",
        },
        201,
    ),
    ("GET", "/analytics/common-problems/proposals/{proposal_id}"): (
        lambda w, i: {"proposal_id": _common_proposal(w, i)},
        None,
        200,
    ),
    ("GET", "/guidance/assessments/"): (None, None, 200),
    ("GET", "/guidance/assessments/{assessment_id}"): (
        lambda w, i: {"assessment_id": _gd(w, "assessment", i)},
        None,
        200,
    ),
    ("GET", "/guidance/assessments/{assessment_id}/naming"): (
        lambda w, i: {"assessment_id": _gd(w, "assessment", i)},
        None,
        200,
    ),
}
# The cockpit's charts, one operation each (lijian.analytics.cockpit_api).
API_SPECS.update(
    {
        ("GET", f"/cockpit/bodies/{{body}}/{key}"): (
            lambda w, i: {"body": (w.body1 if i else w.body2).pk},
            None,
            200,
        )
        for key in {**CHARTS, **RANKINGS}
    }
)


def allowed(role: str | None, permission: str) -> bool:
    if permission == Perm.PUBLIC:
        return True
    if role is None:
        return False
    if permission == Perm.SIGNED_IN:
        return True
    return permission in ROLE_PERMISSIONS[role]


def expected_url_answer(route, spec: Spec, role, inside: bool) -> int:
    """The one answer the role gets: anonymous → the log-in page (302); without the permission → 403;
    outside the role's subtree → 404; else the route's own answer."""
    own = spec.answers.get(role, spec.ok or (302 if spec.post_only else 200))
    if route.permission == Perm.PUBLIC:
        return own
    if role is None:
        return 302
    if not allowed(role, route.permission):
        return 403
    if not inside or (spec.office_only and role in (Role.GROUP_LEADER, Role.GROUP_MEMBER)):
        return 404
    return own


def expected_api_answer(op, ok, role, inside: bool) -> int:
    """The one answer the role gets from API operation ``op``: anonymous → 401; without the
    permission → 403; outside the role's subtree → 404; else ``ok`` (an answer, or answers by role
    with ``"*"`` for the others)."""
    if role is None:
        return 401
    if not allowed(role, op.permission):
        return 403
    if not inside:
        return 404
    return ok.get(role, ok["*"]) if isinstance(ok, dict) else ok
