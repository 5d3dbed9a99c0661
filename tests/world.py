"""A small world for tests: the city, two districts each with a street and a community, an SOE,
the city inspection office, two district patrol offices, their terms, and one user per role scoped
to district D1 (so D2 is out of their scope)."""

import datetime
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lijian.accounts.choices import Role
from lijian.accounts.models import RoleAssignment, User
from lijian.core.models import AuditEvent
from lijian.documents.attachments import attachment_add
from lijian.findings import services as findings_services
from lijian.findings.models import Category, Department
from lijian.governance import services as governance
from lijian.inspections.models import Group, Inspection, PlanRun, Round, RoundMember
from lijian.inspections.services import group_create
from lijian.orgs import services
from lijian.orgs.models import InspectionBody, Organization, Term
from lijian.people.models import Cadre, Conflict, Skill
from lijian.petitions import services as petitions
from lijian.petitions.views import qr_token
from lijian.rectification import services as rectification
from lijian.rectification.disclosure import disclosure_publish
from lijian.rectification.instructions import services as instructions
from lijian.rectification.models import Accountability, RectificationReport, SelfCriticism

PASSWORD = "correct-horse-battery-9"
TERM = (datetime.date(2022, 6, 23), datetime.date(2027, 6, 22))


@dataclass
class World:
    admin: User
    root: Organization
    d1: Organization
    d2: Organization
    t1: Organization
    t2: Organization
    v1: Organization
    v2: Organization
    soe: Organization
    city_body: InspectionBody
    body1: InspectionBody
    body2: InspectionBody
    term1: Term
    term2: Term
    users: dict[str, User] = field(default_factory=dict)  # role -> user scoped to D1
    outsider: User | None = None  # office staff of D2


def make_user(username: str, role: str | None = None, organization=None, body=None, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username, **extra)
    if role:
        RoleAssignment.objects.create(user=user, role=role, organization=organization, body=body)
    return user


def build_world() -> World:
    admin = make_user("root-admin", Role.ADMINISTRATOR)
    org = services.organization_create
    root = org(
        actor=admin,
        parent=None,
        code="TJ",
        name="中共天津市委员会",
        kind="municipal_committee",
        division_code="120000000000",
    )
    city_body = services.body_create(
        actor=admin, code="TJ-XSB", name="市委巡视办", level="inspection", owner_org=root, authorized_posts=60
    )
    d1 = org(
        actor=admin,
        parent=root,
        code="120101",
        name="中共天津市和平区委员会",
        kind="district_committee",
        supervising_body=city_body,
    )
    d2 = org(
        actor=admin,
        parent=root,
        code="120103",
        name="中共天津市河西区委员会",
        kind="district_committee",
        supervising_body=city_body,
    )
    soe = org(
        actor=admin,
        parent=root,
        code="TJ-S01",
        name="天津港（集团）有限公司党委",
        kind="soe",
        supervising_body=city_body,
    )
    body1 = services.body_create(
        actor=admin,
        code="XCB-120101",
        name="和平区委巡察办",
        level="patrol",
        owner_org=d1,
        authorized_posts=12,
    )
    body2 = services.body_create(
        actor=admin,
        code="XCB-120103",
        name="河西区委巡察办",
        level="patrol",
        owner_org=d2,
        authorized_posts=12,
    )
    t1 = org(
        actor=admin,
        parent=d1,
        code="120101001",
        name="和平区劝业场街道党工委",
        kind="street",
        supervising_body=body1,
    )
    t2 = org(
        actor=admin,
        parent=d2,
        code="120103001",
        name="河西区大营门街道党工委",
        kind="street",
        supervising_body=body2,
    )
    v1 = org(
        actor=admin,
        parent=t1,
        code="120101001001",
        name="多福巷社区党委",
        kind="community",
        supervising_body=body1,
    )
    v2 = org(
        actor=admin,
        parent=t2,
        code="120103001001",
        name="新津社区党委",
        kind="community",
        supervising_body=body2,
    )
    services.term_create(actor=admin, body=city_body, name="第十二届", start=TERM[0], end=TERM[1])
    term1 = services.term_create(actor=admin, body=body1, name="第十二届", start=TERM[0], end=TERM[1])
    term2 = services.term_create(actor=admin, body=body2, name="第十二届", start=TERM[0], end=TERM[1])
    world = World(admin, root, d1, d2, t1, t2, v1, v2, soe, city_body, body1, body2, term1, term2)
    for role in Role.values:
        world.users[role] = make_user(f"u-{role}", role, d1, body1 if role == Role.OFFICE_STAFF else None)
    world.outsider = make_user("u-outsider", Role.OFFICE_STAFF, d2, body2)
    return world


def make_city_office(world, username: str = "city-office") -> User:
    """Staff of the city inspection office (市委巡视办) over the whole city: the office of the city body
    and, above them, of both district patrol bodies, so it acts for three bodies."""
    return make_user(username, Role.OFFICE_STAFF, world.root, world.city_body)


def make_cadre(world, code: str, home, rank: str = "section", skills=(), birth_year: int = 1980, user=None):
    cadre = Cadre.objects.create(
        cadre_id=code,
        name=f"干部{code}",
        gender="M",
        birth_year=birth_year,
        home_org=home,
        rank=rank,
        user=user,
    )
    cadre.skills.set(Skill.objects.filter(code__in=skills))
    return cadre


def make_patrol_setup(world, *, cadres: int = 16):
    """和平区: its office has two standing groups and a pool of ``cadres`` people from two units
    (the street and the community), the first two senior enough to lead, two with audit skills."""
    g1 = group_create(actor=world.admin, body=world.body1, number=1)
    g2 = group_create(actor=world.admin, body=world.body1, number=2)
    # Two district departments beside the street: not on the line of any target below the street.
    units = [
        services.organization_create(
            actor=world.admin,
            parent=world.d1,
            code=f"D1-U{k}",
            name=f"和平区单位{k}",
            kind="department",
            supervising_body=world.body1,
        )
        for k in (1, 2)
    ]
    pool = []
    for i in range(cadres):
        rank = "division" if i < 2 else "section"
        skills = ("audit",) if i in (2, 3) else ()
        pool.append(make_cadre(world, f"C{i:02d}", units[i % 2], rank, skills))
    return g1, g2, pool


@dataclass
class Rounds:
    round1: object
    round2: object
    inspection1: object
    inspection2: object
    run1: object
    run2: object
    cadre1: object
    cadre2: object
    conflict1: object
    conflict2: object
    spare1: object  # a planned target the harness may remove
    spare2: object


def build_rounds(world) -> Rounds:
    """A staffed round in each district (和平 and 河西), a plan run of each, a cadre and a declared conflict
    in each; the group leader and member accounts serve in 和平's first group."""
    made = {}
    for key, body, district, term, street in (
        ("1", world.body1, world.d1, world.term1, world.t1),
        ("2", world.body2, world.d2, world.term2, world.t2),
    ):
        group = Group.objects.create(body=body, number=1, name="第一巡察组")
        round_ = Round.objects.create(
            body=body, term=term, number=1, start=datetime.date(2024, 3, 1), end=datetime.date(2024, 5, 1)
        )
        round_.groups.add(group)
        inspection = Inspection.objects.create(round=round_, organization=street, group=group)
        made["spare" + key] = Inspection.objects.create(
            round=round_, organization=world.v1 if key == "1" else world.v2
        )
        # The group's people come from a department of the district, off the street's line, so the
        # staffing is legal (and survives a groups.csv round trip); the declared conflict names the SOE.
        home = services.organization_create(
            actor=world.admin, parent=district, code=f"D{key}-RU", name=f"区直单位{key}", kind="department"
        )
        cadre = make_cadre(world, f"R{key}", home, "division")
        RoundMember.objects.create(round=round_, group=group, cadre=cadre, role="leader")
        made[key] = (
            round_,
            inspection,
            PlanRun.objects.create(round=round_),
            cadre,
            Conflict.objects.create(cadre=cadre, organization=world.soe, kind="relative"),
        )
        if key == "1":
            for role, place in (("group_leader", "deputy"), ("group_member", "member")):
                member = make_cadre(world, f"R1-{role}", home, user=world.users[role])
                RoundMember.objects.create(round=round_, group=group, cadre=member, role=place)
    (r1, i1, p1, c1, f1), (r2, i2, p2, c2, f2) = made["1"], made["2"]
    return Rounds(r1, r2, i1, i2, p1, p2, c1, c2, f1, f2, made["spare1"], made["spare2"])


@dataclass
class SecondStreet:
    street: Organization  # 和平's second street, a second area of 和平's jurisdiction
    inspected: Organization  # its community inspected on site in the round given
    uninspected: Organization  # its community not inspected


def build_second_street(world, round_) -> SecondStreet:
    """A second street of 和平 with two communities, the first inspected on site (from 2024-03-10) in
    ``round_`` (one of 和平's, by its first group), the second never: figures by area then differ from
    area to area and from the whole district."""
    street = services.organization_create(
        actor=world.admin,
        parent=world.d1,
        code="120101002",
        name="和平区小白楼街道党工委",
        kind="street",
        supervising_body=world.body1,
    )
    inspected, uninspected = (
        services.organization_create(
            actor=world.admin,
            parent=street,
            code=f"12010100200{k}",
            name=name,
            kind="community",
            supervising_body=world.body1,
        )
        for k, name in ((1, "解放北路社区党委"), (2, "开封道社区党委"))
    )
    Inspection.objects.create(
        round=round_,
        organization=inspected,
        group=round_.groups.order_by("number").first(),
        stage="onsite",
        onsite_start=datetime.date(2024, 3, 10),
    )
    return SecondStreet(street, inspected, uninspected)


@dataclass
class Petitions:
    petition1: object  # received by 和平区委巡察办 with an identity, routed to its group's inspection
    petition2: object  # received by 河西区委巡察办
    token1: str  # the QR token of each district's inspection
    token2: str


def build_petitions(world, rounds) -> Petitions:
    """Needs ``build_findings`` first (the inspections are on site)."""
    made = []
    for body, inspection in ((world.body1, rounds.inspection1), (world.body2, rounds.inspection2)):
        petition = petitions.petition_receive(
            actor=world.admin,
            body=body,
            channel="visit",
            received_on=datetime.date(2024, 3, 15),
            summary="反映街道工作人员违规收取办事费用，群众意见很大。",
            inspection=inspection,
            identity={"name": "张三", "phone": "13800001111"},
        )
        petitions.petition_route_to_group(actor=world.admin, petition=petition, inspection=inspection)
        made.append(petition)
    return Petitions(made[0], made[1], qr_token(rounds.inspection1), qr_token(rounds.inspection2))


@dataclass
class Findings:
    department1: object
    department2: object
    problem1: object
    problem2: object
    clue1: object  # transferred to department1, whose staff is the department account
    clue2: object
    instruction1: object
    instruction2: object
    attachment1: object
    attachment2: object


def category(code: str = "2.1", level: str = "patrol"):
    return Category.objects.get(framework__level=level, framework__valid_to=None, code=code)


def build_findings(world, rounds) -> Findings:
    """In each district: its committee's discipline department, the round's inspection on site with
    one problem and one clue transferred to the department (with evidence and a leader's instruction)."""
    made = {}
    for key, inspection, committee in (
        ("1", rounds.inspection1, world.d1),
        ("2", rounds.inspection2, world.d2),
    ):
        inspection.stage = "onsite"
        inspection.onsite_start = datetime.date(2024, 3, 10)
        inspection.save()
        department = Department.objects.create(
            code=f"JW-{key}", name=f"区纪委监委{key}", kind="discipline", committee=committee
        )
        problem = findings_services.problem_record(
            actor=world.admin,
            inspection=inspection,
            category=category(),
            summary=f"问题{key}",
            found_on=datetime.date(2024, 3, 20),
        )
        clue = findings_services.clue_record(
            actor=world.admin,
            inspection=inspection,
            subject_name=f"某{key}",
            summary="反映收受礼金",
            department=department,
            problem=problem,
            recorded_on=datetime.date(2024, 3, 25),
        )
        findings_services.clue_transfer(
            actor=world.admin, clue=clue, transferred_on=datetime.date(2024, 4, 1)
        )
        instruction = instructions.instruction_give(
            actor=world.admin,
            subject=clue,
            text="请认真核查",
            addressee=world.admin,
            deadline=datetime.date.today() + datetime.timedelta(days=30),
        )
        attachment = attachment_add(
            actor=world.admin,
            owner=clue,
            upload=SimpleUploadedFile("证据.pdf", b"%PDF-1.4 evidence"),
        )
        made[key] = (department, problem, clue, instruction, attachment)
    made["1"][0].staff.add(world.users[Role.DEPARTMENT])
    (d1, p1, c1, i1, a1), (d2, p2, c2, i2, a2) = made["1"], made["2"]
    return Findings(d1, d2, p1, p2, c1, c2, i1, i2, a1, a2)


@dataclass
class Rectification:
    inspection1: object  # each district's second round's inspection of its street, fed back 2024-05-10
    inspection2: object
    problem1: object  # its problem, in rectification
    problem2: object
    task1: object  # one task on it, added by the organisation's liaison, not yet accepted
    task2: object
    evidence1: object  # a file on the task
    evidence2: object
    report1: object  # the rectification report
    report2: object
    self_criticism1: object
    self_criticism2: object
    disclosure1: object  # disclosed to the public
    disclosure2: object
    liaison2: object  # 河西's street liaison (the world's liaison is 和平's)


def build_rectification(world, rounds, findings) -> Rectification:
    """Needs ``build_findings``: each district's inspection left the site, its problem approved and fed
    back; the liaison adds a task with evidence and submits the report; a self-criticism is due; the
    office publishes a disclosure."""
    liaison2 = make_user("u-liaison-2", Role.LIAISON, world.t2)
    made = {}
    for key, first, liaison, body, term in (
        ("1", rounds.inspection1, world.users[Role.LIAISON], world.body1, world.term1),
        ("2", rounds.inspection2, liaison2, world.body2, world.term2),
    ):
        # A second round by the same group (the first stays on site for the petition pages).
        round_ = Round.objects.create(
            body=body, term=term, number=2, start=datetime.date(2024, 3, 1), end=datetime.date(2024, 5, 1)
        )
        round_.groups.add(first.group)
        for member in RoundMember.objects.filter(round=first.round):
            RoundMember.objects.create(round=round_, group=member.group, cadre=member.cadre, role=member.role)
        inspection = Inspection.objects.create(
            round=round_,
            organization=first.organization,
            group=first.group,
            stage="onsite",
            onsite_start=datetime.date(2024, 3, 10),
        )
        problem = findings_services.problem_record(
            actor=world.admin,
            inspection=inspection,
            category=category(),
            summary=f"违规收取办事费用{key}",
            found_on=datetime.date(2024, 3, 20),
        )
        findings_services.problem_approve(actor=world.admin, problem=problem)
        inspection.stage = "report"
        inspection.onsite_end = datetime.date(2024, 4, 20)
        inspection.save()
        rectification.feedback_give(
            actor=world.admin,
            inspection=inspection,
            held_on=datetime.date(2024, 5, 10),
            given_by="第一巡察组组长",
            received_by="街道党工委书记",
        )
        problem.refresh_from_db()
        task = rectification.task_add(
            actor=liaison,
            problem=problem,
            measure="建立收费公示制度，清退违规收取的费用",
            responsible_leader="街道党工委书记",
            responsible_department="街道党政办",
            deadline=datetime.date(2024, 7, 31),
        )
        evidence = attachment_add(
            actor=liaison, owner=task, upload=SimpleUploadedFile("清退凭证.pdf", b"%PDF-1.4 refund")
        )
        report = RectificationReport.objects.create(
            inspection=inspection,
            kind="rectification",
            text="整改情况报告正文",
            signed_by="街道党工委",
            submitted_on=datetime.date(2024, 7, 10),
            submitted_by=liaison,
        )
        self_criticism = SelfCriticism.objects.create(
            organization=inspection.organization,
            body=body,
            term=term,
            assessed_on=datetime.date(2024, 9, 1),
            numerator=0,
            denominator=1,
            threshold=70,
            due_on=datetime.date(2024, 10, 1),
        )
        disclosure = disclosure_publish(
            actor=world.admin,
            inspection=inspection,
            audience="public",
            title="整改情况公开",
            text="街道党工委已制定整改方案，正在推进。",
            published_on=datetime.date(2024, 8, 1),
            problems=[problem],
        )
        made[key] = (inspection, problem, task, evidence, report, self_criticism, disclosure)
    return Rectification(*(x for pair in zip(made["1"], made["2"], strict=True) for x in pair), liaison2)


def admonish_street_director(world) -> Accountability:
    """和平's street director 张某 admonished by the district commission on 2024-11-01 for poor
    rectification: one accountability action in 和平, for the cockpit to count."""
    return Accountability.objects.create(
        body=world.body1,
        organization=world.t1,
        subject_name="张某",
        subject_post="街道办事处主任",
        action="admonishment",
        reason="整改不力",
        decided_by="区纪委",
        decided_on=datetime.date(2024, 11, 1),
    )


def authenticator(user, *, create: bool | None = None):
    """The user's confirmed TOTP authenticator; one is created when ``create`` (by default: when the
    user's role requires the second factor, ``settings.TOTP_REQUIRED_ROLES``) and none exists."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        if create is None:
            roles = set(RoleAssignment.objects.filter(user=user, active=True).values_list("role", flat=True))
            create = bool(
                (roles | ({Role.ADMINISTRATOR} if user.is_superuser else set()))
                & settings.TOTP_REQUIRED_ROLES
            )
        if create:
            device = TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=True)
    return device


def totp_code(device) -> str:
    """A code ``device`` accepts now. A code is accepted once (``last_t``), so after a log-in in the
    same 30 seconds this gives the next step's code (within the device's tolerance), or waits."""
    device.refresh_from_db()
    while True:
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        now = time.time()
        for ahead in (0, 1):
            totp.time = now + ahead * device.step
            if totp.t() > device.last_t:
                return f"{totp.token():0{device.digits}d}"
        time.sleep(device.step - (now - device.t0) % device.step + 0.2)


# --- A fed-back inspection (rectification, the daily job, the messages) ---------------------------

TWO_TASKS = (
    ("a", datetime.date(2024, 6, 30), "concentrated"),
    ("b", datetime.date(2025, 12, 31), "long_term"),
)
FOUR_TASKS = (
    ("a", datetime.date(2024, 6, 30), "concentrated"),
    ("b", datetime.date(2024, 7, 31), "concentrated"),
    ("c", datetime.date(2025, 12, 31), "long_term"),
    ("d", datetime.date(2024, 6, 15), "immediate"),
)
REPORT_TEXT = (
    "街道党工委认真落实巡察整改主体责任，成立整改工作领导小组，逐项制定整改措施，明确责任领导和完成时限。" * 2
)


@dataclass
class Fed:
    world: World
    rounds: Rounds
    inspection: object
    feedback: object
    problems: dict  # key -> problem; those of the plan carry their accepted task as ``.task``
    office: User
    liaison: User


def fed_back(world, plan=TWO_TASKS, *, untasked=(), referenced=(), liaison_left: bool = False) -> Fed:
    """和平区's inspection of the street (``build_rounds`` and ``build_findings`` first), left the site
    on 2024-04-20 and fed back on 2024-05-10 (report due 2024-07-10), every problem approved: the
    world's own (category 2.1, no task); per ``plan`` entry (key, deadline, kind) one problem in 2.1
    with one task its liaison added and the office accepted; per key in ``untasked`` one problem in
    3.1 without a task; per (ref, rectify_at_once) in ``referenced`` one problem numbered ``ref``,
    without a task. With ``liaison_left`` the street's liaison role is withdrawn before the feedback."""
    rounds = build_rounds(world)
    build_findings(world, rounds)
    inspection = rounds.inspection1
    office, liaison = world.users[Role.OFFICE_STAFF], world.users[Role.LIAISON]

    def record(summary, code="2.1", **extra):
        return findings_services.problem_record(
            actor=office,
            inspection=inspection,
            category=category(code),
            summary=summary,
            found_on=datetime.date(2024, 3, 25),
            **extra,
        )

    problems = {key: record(f"问题{key}：集体资产台账不全") for key, _deadline, _kind in plan}
    problems |= {key: record(f"问题{key}：党支部组织生活不规范", "3.1") for key in untasked}
    problems |= {ref: record(f"问题{ref}", ref=ref, rectify_at_once=now) for ref, now in referenced}
    for problem in inspection.problems.all():
        findings_services.problem_approve(actor=office, problem=problem)
    inspection.stage, inspection.onsite_end = "report", datetime.date(2024, 4, 20)
    inspection.save()
    if liaison_left:
        RoleAssignment.objects.filter(role=Role.LIAISON).update(active=False)
    feedback = rectification.feedback_give(
        actor=office,
        inspection=inspection,
        held_on=datetime.date(2024, 5, 10),
        given_by="第一巡察组组长李某",
        received_by="街道党工委书记王某",
        requirements="要把巡察整改作为重大政治任务。\n要建立整改台账，逐项对账销号。",
    )
    for key, deadline, kind in plan:
        problems[key].refresh_from_db()
        task = rectification.task_add(
            actor=liaison,
            problem=problems[key],
            measure=f"整改措施{key}：清查台账",
            responsible_leader=f"副书记{key}",
            responsible_department="党政办",
            deadline=deadline,
            kind=kind,
        )
        problems[key].task = rectification.task_accept(actor=office, task=task)
    return Fed(world, rounds, inspection, feedback, problems, office, liaison)


def close_on_evidence(fed: Fed, problem, on: datetime.date) -> None:
    """The liaison completes the problem's task and attaches evidence; the office closes it on ``on``."""
    rectification.task_complete(actor=fed.liaison, task=problem.task, on=on)
    attachment_add(
        actor=fed.liaison, owner=problem.task, upload=SimpleUploadedFile("佐证.pdf", b"%PDF-1.4 proof")
    )
    rectification.problem_close(actor=fed.office, problem=problem, on=on, reason="对账销号：佐证材料齐全")


# --- The committee's own work (governance) ---------------------------------------------------------


@dataclass
class Governance:
    meeting1: object  # each district body's standing-committee meeting, 2024-03-01
    meeting2: object
    instruction1: object  # an instruction from it, open, due 2024-04-30 (和平's given by the world's leader)
    instruction2: object
    regulation1: object  # a rule in force
    regulation2: object
    exposure1: object  # an exposed case of the district's street
    exposure2: object


def build_governance(world) -> Governance:
    """Each district patrol office records a meeting with one instruction, a rule and an exposed case
    (as the administrator); 和平's instruction is given by the world's leader and charged to its office
    staff, 河西's by a leader named only."""
    made = {}
    for key, body, street, leader, staff in (
        ("1", world.body1, world.t1, world.users[Role.LEADER], world.users[Role.OFFICE_STAFF]),
        ("2", world.body2, world.t2, None, world.outsider),
    ):
        meeting = governance.meeting_record(
            actor=world.admin,
            body=body,
            held_on=datetime.date(2024, 3, 1),
            kind="standing_committee",
            title=f"区委常委会会议{key}",
            topics="听取巡察工作情况汇报",
            attendees="区委常委",
            decisions="抓好巡察整改",
        )
        instruction = governance.meeting_instruction_give(
            actor=world.admin,
            meeting=meeting,
            given_by=leader,
            given_by_name="" if leader else "区委书记",
            text="督促街道党工委限期整改",
            assignee=staff,
            assignee_name="区委巡察办",
            due_on=datetime.date(2024, 4, 30),
        )
        regulation = governance.regulation_register(
            actor=world.admin,
            body=body,
            name=f"巡察工作实施办法{key}",
            issuer="区委",
            number=f"区委发〔2023〕{key}号",
            issued_on=datetime.date(2023, 5, 1),
            summary="规定巡察工作的组织、程序和纪律",
        )
        exposure = governance.exposure_record(
            actor=world.admin,
            body=body,
            title=f"街道违规收费问题{key}",
            summary="街道违规收取办事费用，有关责任人被问责",
            people_named="街道办事处主任",
            organization=street,
            channel="website",
            outlet="区纪委监委网站",
            published_on=datetime.date(2024, 6, 1),
        )
        made[key] = (meeting, instruction, regulation, exposure)
    return Governance(*(x for pair in zip(made["1"], made["2"], strict=True) for x in pair))


# --- The audit ledger as an attacker with the database's credentials sees it ----------------------

AUDIT_TABLE = AuditEvent._meta.db_table


@contextmanager
def attacker():
    """A cursor with the ledger's triggers out of the way, as someone with the database's
    credentials would have it (dropped triggers come back when the test's transaction rolls back)."""
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:  # a superuser's way round every trigger, for this transaction only
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_no_update")
            cursor.execute("DROP TRIGGER core_auditevent_no_delete")
        yield cursor
        if postgresql:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
