"""The Tianjin demo world, built once for this module and checked by named tests: real divisions,
the seed's staffing figures, one account per role, the term the planner, the optimiser and the stage
services ran, the rectification carried to the seed's consequences, the daily job's escalations, and
running it twice changes nothing.

The module is the ``demo_world`` stage of ``make test``: it runs in its own pytest process beside the
rest of the suite (the full demo takes minutes of service calls). With ``LIJIAN_TEST_FULL_DEMO=0``
the world is loaded without the term's rounds and the checks of the term are skipped."""

import datetime
import io
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import F, Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lijian.accounts.choices import Role
from lijian.accounts.models import User
from lijian.analytics.figures import body_figures, findings_figures, rectification_figures
from lijian.core.models import AuditEvent
from lijian.core.permissions import Perm, access_for
from lijian.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from lijian.demo.policy.rectification import ASSESSED
from lijian.demo.vocabulary.tianjin import ACCOUNT_DAY
from lijian.documents.gbt9704 import figures_of, paper_from_dict
from lijian.documents.models import OfficialDocument
from lijian.findings.models import Clue, Department, Problem
from lijian.governance.models import Meeting, MeetingInstruction, Regulation
from lijian.guidance.models import NamingCandidate
from lijian.inspections.models import Group, Inspection, Round, RoundMember
from lijian.inspections.selectors import inspections_visible
from lijian.orgs import selectors
from lijian.orgs.models import InspectionBody, Organization
from lijian.people.choices import Rank
from lijian.people.models import Cadre
from lijian.petitions.models import Petition
from lijian.rectification.models import (
    Accountability,
    Disclosure,
    Evaluation,
    Interview,
    RectificationTask,
    SelfCriticism,
    Supervision,
)
from lijian.rectification.rates import rectification_rates
from lijian.rectification.selectors import problems_in_rectification
from lijian.rectification.services import has_evidence
from lijian.rectification.supervision import look_back_list

from ..world import authenticator, totp_code
from .conftest import FULL, needs_term

pytestmark = [pytest.mark.demo_world, pytest.mark.django_db]
TODAY_FIGURES = datetime.date(2026, 11, 27)


@pytest.fixture(scope="module")
def city_figures(demo, city, term):
    return body_figures(city, term, TODAY_FIGURES)


def test_the_demo_world_holds_tianjin_and_the_seeds_staffing(demo):
    root = Organization.objects.get(code="TJ")
    assert root.name == "中共天津市委员会"
    kinds = dict(Organization.objects.values_list("kind").annotate(n=Sum(1)).order_by())
    assert kinds["district_committee"] == 16
    districts = Organization.objects.filter(kind="district_committee")
    # Under the districts: 299 towns and streets (and town-level zones), and 50 departments and 20
    # institutions per district for the district patrols.
    assert districts.aggregate(n=Sum("numchild"))["n"] == 299 + 16 * 70
    under_districts = Organization.objects.filter(
        depth=3, supervising_body__owner_org__kind="district_committee"
    )
    assert under_districts.filter(kind__in=("town", "street", "other")).count() == 299
    assert kinds["village"] + kinds["community"] == 5617
    city = InspectionBody.objects.get(code="TJ-XSB")
    assert city.jurisdiction.count() == 200  # the city-level units the city inspection must cover
    patrol = InspectionBody.objects.filter(level="patrol")
    owners = patrol.values_list("owner_org__kind", flat=True)
    assert patrol.count() == 69
    assert (
        list(owners).count("district_committee"),
        list(owners).count("department"),
        list(owners).count("university"),
    ) == (16, 37, 16)
    assert patrol.aggregate(n=Sum("authorized_posts"))["n"] == 452
    assert Group.objects.filter(body__level="patrol").count() == 65
    district = Organization.objects.get(code="120101")
    village = Organization.objects.filter(path__startswith=district.path, kind="community").first()
    assert village.supervising_body.code == "XCB-120101"


def test_every_role_has_a_demo_account_that_sees_only_its_scope(demo, client):
    assert DEMO_PASSWORD in demo
    assert {spec[2] for spec in DEMO_ACCOUNTS} == set(Role.values)
    assert "demo-otp" in demo  # how to read a code without a phone app
    for username, _name, role, scope, _body in DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        device = authenticator(user, create=False)
        assert user.demo_account and (device is not None) == (role in settings.TOTP_REQUIRED_ROLES), username
        credentials = {"username": username, "password": DEMO_PASSWORD}
        response = client.post(
            "/accounts/login/", credentials | ({"otp_token": totp_code(device)} if device else {})
        )
        assert response.status_code == 302, username
        visible = selectors.organizations_visible(user)
        if role == Role.DEPARTMENT:
            assert not access_for(user).has(Perm.ORG_VIEW) and not visible.exists()
        elif scope is None:
            assert visible.count() == Organization.objects.count()
        else:
            root = Organization.objects.get(code=scope)
            assert visible.count() == selectors.organization_subtree_size(root) + 1
            outside = Organization.objects.exclude(path__startswith=root.path).first()
            if outside is not None:  # the city-wide roles have nothing outside their scope
                assert client.get(f"/orgs/{outside.pk}/").status_code == 404
        client.logout()


@needs_term
def test_the_term_is_planned_and_covers_what_the_seed_says(city_figures):
    """The seed's figures come out of the selectors after the planner, the optimiser and the stage
    services ran the term."""
    assert city_figures["rounds"].value == 5
    assert city_figures["inspected_organizations"].value == 126
    soe = city_figures["coverage_soe"]
    assert (soe.numerator, soe.denominator) == (51, 51)  # the riskiest kind is covered first
    grass = city_figures["grassroots_coverage"]
    assert (grass.numerator, grass.denominator) == (2696, 5617)
    assert city_figures["patrolled_organizations"].value == 3844


@needs_term
def test_what_the_groups_found_is_recorded_on_site_through_the_services(city_figures, city):
    """M5, M4, M9: problems under each level's framework, all approved; clues to the departments."""
    assert city_figures["problems_found"].value == 4730
    city_problems = Problem.objects.filter(inspection__round__body=city)
    assert not city_problems.exclude(category__framework__code="sige-luoshi-2018").exists()
    patrol_problems = Problem.objects.filter(inspection__round__body__level="patrol")
    assert not patrol_problems.exclude(category__framework__code="sige-jujiao-2018").exists()
    assert not Problem.objects.exclude(review="approved").exists()
    assert city_figures["clues_transferred"].value > 250
    assert 0 < city_figures["clues_overdue"].value < city_figures["clues_transferred"].value // 10
    assert city_figures["cases_opened"].value > 0 and city_figures["people_disciplined"].value > 0
    assert {"TJ-JWJW", "TJ-ZZB", "TJ-SJJ"} <= set(Clue.objects.values_list("department__code", flat=True))
    psb = Problem.objects.get(inspection__organization__code="TJ-D032", summary__contains="黄兴国")
    assert psb.close_attention and all((psb.people, psb.matters, psb.causes, psb.systems))
    assert psb.instructions.filter(status="closed", leader__username="lingdao").count() == 3
    assert psb.clues.get().result == "case_opened"


@needs_term
def test_petitions_come_in_on_site(demo):
    """M8: letters, visits and QR reports, and a joint reception with each district committee's
    patrol office; 和平区's look-back round is on site today, with a report filed from its QR code."""
    joint = Petition.objects.filter(channel="joint_reception")
    assert joint.exists() and not joint.filter(joint_body__isnull=True).exists()
    assert set(Petition.objects.values_list("channel", flat=True)) >= {"letter", "visit", "qr"}
    assert Petition.objects.filter(anonymous=False, identity__isnull=False).exists()
    assert not Petition.objects.filter(anonymous=False, identity__isnull=True).exists()
    live = Inspection.objects.filter(round__body__code="XCB-120101", round__kind="look_back", stage="onsite")
    assert live.count() == 2 and Petition.objects.filter(channel="qr", inspection__in=live).exists()


def overlapping_bookings() -> int:
    """Pairs of bookings of one cadre in two rounds (of any bodies) whose dates overlap."""
    return (
        RoundMember.objects.filter(
            cadre__rounds_served__round__start__lte=F("round__end"),
            cadre__rounds_served__round__end__gte=F("round__start"),
            cadre__rounds_served__round_id__gt=F("round_id"),
        )
        .values("pk")
        .count()
    )


@needs_term
def test_every_staffed_round_keeps_the_staffing_rules(demo):
    """A leader per group, no member twice in a round; issue 10, points 1–3, on the whole world: no
    cadre booked in two rounds whose dates overlap (across bodies), no group staffed without targets,
    a deputy leader in every group staffed, and no senior rank on a young cadre."""
    for round_ in Round.objects.all():
        members = RoundMember.objects.filter(round=round_)
        assert members.count() == members.values("cadre").distinct().count(), round_
        groups = set(round_.inspections.values_list("group", flat=True))
        leaders = set(members.filter(role="leader").values_list("group", flat=True))
        assert groups <= leaders, round_
    assert overlapping_bookings() == 0
    staffed = set(RoundMember.objects.values_list("round_id", "group_id").distinct())
    inspected = set(Inspection.objects.exclude(group=None).values_list("round_id", "group_id").distinct())
    assert staffed == inspected
    deputies = set(RoundMember.objects.filter(role="deputy").values_list("round_id", "group_id"))
    assert deputies == staffed
    assert not Cadre.objects.filter(rank__in=[Rank.BUREAU, Rank.DEPUTY_BUREAU], birth_year__gt=1976).exists()
    assert not Cadre.objects.filter(rank=Rank.DIVISION, birth_year__gt=1981).exists()


@needs_term
def test_the_group_leader_sees_exactly_the_inspections_of_their_groups(demo, city):
    """The demo group leader sees the inspection of 天津城投集团 their group made, and exactly the
    inspections of the groups they served in, in any body (the demo may also book them in a patrol
    round), not the other city groups'."""
    leader = User.objects.get(username="zuzhang")
    cadre = Cadre.objects.get(user=leader)
    visible = inspections_visible(leader)
    assert visible.filter(organization__code="TJ-S02").exists()
    served = {
        pk
        for round_id, group_id in RoundMember.objects.filter(cadre=cadre).values_list("round", "group")
        for pk in Inspection.objects.filter(round_id=round_id, group_id=group_id).values_list("pk", flat=True)
    }
    assert set(visible.values_list("pk", flat=True)) == served
    assert visible.filter(round__body=city).count() < Inspection.objects.filter(round__body=city).count()


@needs_term
def test_the_rectification_reaches_the_seeds_consequences(city, term):
    """M10–M12 from the task states, read through the same selectors as the pages: 11 organisations
    below 70% each owing a self-criticism, 39 unit top leaders interviewed, 8 party secretaries of
    enterprises and institutions held accountable and 6 SOE discipline secretaries removed."""
    figures = rectification_figures(city, term, timezone.localdate())
    assert figures["organizations_fed_back"].value == 126
    assert figures["organizations_below_threshold"].value == 11
    below = set(figures["organizations_below_threshold"].records.values_list("pk", flat=True))
    every = SelfCriticism.objects.filter(body=city, term=term)
    criticisms = every.filter(assessed_on=ASSESSED)  # the committee's last assessment
    assert set(criticisms.values_list("organization", flat=True)) == below and criticisms.count() == 11
    # Every state shows in the UI, most of them accepted; the earlier assessments' all accepted.
    states = Counter(criticisms.values_list("status", flat=True))
    assert set(states) == {"due", "submitted", "returned", "accepted"} and states["accepted"] == 8
    earlier = every.filter(assessed_on__lt=ASSESSED)
    assert earlier.exists() and not earlier.exclude(status="accepted").exists()
    assert figures["self_criticisms_due"].value == every.count()
    assert figures["self_criticisms_accepted"].value == 8 + earlier.count()

    interviews = Interview.objects.filter(body=city)
    assert figures["interviews"].value == 39
    assert interviews.values("organization").distinct().count() == 39
    assert below <= set(interviews.values_list("organization", flat=True))
    assert set(interviews.filter(organization__in=below).values_list("interviewer", flat=True)) == {"市长"}

    actions = Accountability.objects.filter(body=city)
    assert figures["accountability_removal"].value == 6
    removed = actions.filter(action="removal")
    assert set(removed.values_list("subject_post", "organization__kind")) == {("纪委书记", "soe")}
    assert not removed.filter(task__isnull=True).exists()  # each linked to the overdue task behind it
    secretaries = actions.exclude(action="removal")
    assert secretaries.count() == 8
    assert all(post.startswith("党委书记") for post in secretaries.values_list("subject_post", flat=True))
    assert set(secretaries.values_list("organization__kind", flat=True)) <= {
        "soe",
        "institution",
        "university",
    }
    assert figures["people_held_accountable"].value == 14
    for action in secretaries.filter(organization__in=below):
        assert action.self_criticism.organization_id == action.organization_id


@needs_term
def test_the_work_behind_the_rates_is_closed_on_evidence(city, term):
    """Closed on evidence, long-term stages met, reopened by the look-back; the rates as they stood
    when the first two rounds were fed back (mid-2023), fewer closed then."""
    statuses = Counter(Problem.objects.filter(inspection__round__body=city).values_list("status", flat=True))
    assert statuses["closed"] > 3000 and statuses["long_term_stage_met"] > 0 and statuses["reopened"] > 0
    assert statuses["open"] == 0
    for problem in Problem.objects.filter(inspection__round__body=city, status="closed")[:50]:
        assert has_evidence(problem), problem
    now = rectification_figures(city, term, timezone.localdate())
    early = rectification_figures(city, term, datetime.date(2023, 6, 1))
    assert early["organizations_fed_back"].value == 50
    assert 0 < early["problems_closed"].value < now["problems_closed"].value


@needs_term
def test_the_liaison_works_their_own_organisations_rectification(city, term):
    """天津港集团's liaison sees the work in between, and only their own organisation's; each
    organisation's plan was written by its own liaison."""
    liaison = User.objects.get(username="lianluoyuan")
    port = Organization.objects.get(code="TJ-S01")
    visible = problems_in_rectification(liaison)
    assert set(visible.values_list("inspection__organization__code", flat=True)) == {"TJ-S01"}
    tasks = RectificationTask.objects.filter(problem__inspection__organization=port)
    waiting = tasks.filter(accepted_at__isnull=True)
    assert waiting.count() == 3  # two after the look-back reopened a problem, one changed
    changed = AuditEvent.objects.filter(action="task.change", object_id__in=[str(t.pk) for t in waiting])
    assert changed.count() == 1
    assert tasks.filter(status="done").exists()
    assert visible.filter(status="reopened").exists()
    reported = visible.get(status="reported_done")
    assert has_evidence(reported)  # the office can close it on what the liaison uploaded
    rates = rectification_rates(port, city, term, timezone.localdate())
    assert rates["implementation_rate"].value >= 0.7
    writers = AuditEvent.objects.filter(action="task.add", object_id__in=[str(t.pk) for t in tasks])
    assert set(writers.values_list("actor_name", flat=True)) == {"lianluoyuan"}


@needs_term
def test_the_offices_pressing_is_read_back_from_the_same_state(city, term):
    """A supervision letter to each organisation below the line, evaluations whose poor grades put
    organisations on the look-back list with the mayor's interview linked, and the best
    organisations' public disclosures, shown on the public page."""
    figures = rectification_figures(city, term, timezone.localdate())
    below = set(figures["organizations_below_threshold"].records.values_list("pk", flat=True))
    assert set(Supervision.objects.filter(body=city).values_list("organization", flat=True)) == below
    poor = Evaluation.objects.filter(body=city, grade="poor")
    assert poor.exists() and set(poor.values_list("organization", flat=True)) <= below
    assert not poor.filter(interview__isnull=True).exists()
    assert set(look_back_list(city, term).values_list("pk", flat=True)) == set(
        poor.values_list("organization", flat=True)
    )
    public = Disclosure.objects.filter(inspection__round__body=city, audience="public")
    assert public.count() == 12
    page = Client().get(reverse("public_rectification", args=[public.first().inspection.organization.code]))
    assert page.status_code == 200 and "巡视整改进展情况的通报" in page.content.decode()


@needs_term
def test_the_patrols_work_their_term_too(city_figures):
    """District, university and bureau patrol offices show a worked term (problems, clues, feedback,
    rectification, rates) read through the same figures as the city's, without moving a seed figure;
    巡镇带村 rounds take a town and its villages, 和平区 (streets only) 巡街带社区."""
    today = timezone.localdate()
    assert city_figures["patrolled_organizations"].value == 3844  # the patrols' work adds no coverage
    patrols = InspectionBody.objects.filter(level="patrol")
    worked = patrols.filter(rounds__inspections__problems__isnull=False).distinct()
    owners = Counter(worked.values_list("owner_org__kind", flat=True))
    assert owners["district_committee"] == 16 and owners["university"] == 16
    jizhou, heping = (
        InspectionBody.objects.get(code="XCB-120119"),
        InspectionBody.objects.get(code="XCB-120101"),
    )
    for body in (jizhou, heping):
        term = body.terms.get(name="第十二届")
        findings = findings_figures(body, term, today)
        assert findings["problems_found"].value > 0
        assert findings["clues_transferred"].value > 0 and findings["clues_fed_back"].value > 0
        rates = rectification_figures(body, term, today)
        fed, below = rates["organizations_fed_back"].value, rates["organizations_below_threshold"].value
        assert fed > 10 and 0 < below < fed // 3, body
        assert 0 < rates["problems_closed"].value < findings["problems_found"].value
    # Clues went to the committee's own departments and were answered by their handler.
    clues = Clue.objects.filter(inspection__round__body__level="patrol")
    assert not clues.exclude(department__committee=F("inspection__round__body__owner_org")).exists()
    answered = clues.filter(status="fed_back")
    assert answered.exists()
    answerers = AuditEvent.objects.filter(
        action="clue.feed_back", object_id__in=[str(pk) for pk in answered.values_list("pk", flat=True)]
    )
    assert {name.split("-")[0] for name in answerers.values_list("actor_name", flat=True)} == {"xiezuo"}
    # Each organisation fed back has its liaison, who wrote its plan; closings rest on evidence.
    fed_back = Inspection.objects.filter(round__body__level="patrol", feedback__isnull=False)
    liaisons = User.objects.filter(
        roles__role=Role.LIAISON, roles__organization__in=fed_back.values("organization")
    ).distinct()
    assert liaisons.count() == fed_back.values("organization").distinct().count()
    tasks = RectificationTask.objects.filter(problem__inspection__round__body__level="patrol")
    assert tasks.exists() and not tasks.filter(accepted_at__isnull=True).exists()
    closed = Problem.objects.filter(inspection__round__body__level="patrol", status="closed")
    assert all(has_evidence(p) for p in closed[:30])
    # 巡镇带村: a town with its villages, in the same round and group; 和平区 has no towns.
    town_rounds = Round.objects.filter(body__level="patrol", theme__contains="巡镇带村")
    assert town_rounds.exists()
    for round_ in town_rounds:
        towns = round_.inspections.filter(organization__kind="town")
        assert any(
            round_.inspections.filter(
                organization__kind="village",
                organization__path__startswith=t.organization.path,
                group=t.group,
            ).exists()
            for t in towns
        ), round_
    assert not heping.rounds.filter(theme__contains="巡镇带村").exists()
    assert heping.rounds.filter(theme__contains="巡街带社区").exists()


@needs_term
def test_the_daily_job_escalated_what_was_overdue_once(demo, city_figures):
    """The demo ends with one run of the daily job, recorded for today: each overdue clue it pressed is
    one audit event, overdue tasks were pressed too, and the people told got their digest."""
    today = timezone.localdate()
    run = AuditEvent.objects.get(action="daily.run", object_repr=today.isoformat())
    assert run.after["clues"] == AuditEvent.objects.filter(action="clue.overdue").count() > 0
    assert run.after["tasks"] > 0 and run.after["digests"] > 0
    assert f"超期整改任务 {run.after['tasks']} 项" in demo


@needs_term
def test_the_committees_own_work_is_the_seeds(demo, city):
    """M1, M2, M13: 11 standing-committee meetings since the 19th Congress, 6 rules in force."""
    meetings = Meeting.objects.filter(body=city, held_on__gte=datetime.date(2017, 10, 18))
    assert meetings.filter(kind="standing_committee").count() == 11
    assert Regulation.objects.filter(body=city, status="in_force").count() == 6


@needs_term
def test_last_years_naming_is_the_seeds(demo, city):
    """M17/M18: the assessment of the district committees' patrol work confirmed last year 11 district
    committees, 5 district secretaries, 1 discipline secretary and 1 organisation-department head."""
    confirmed = NamingCandidate.objects.filter(assessment__body=city, status="confirmed")
    assert Counter(confirmed.values_list("who", flat=True)) == {
        "district_committee": 11,
        "district_secretary": 5,
        "discipline_secretary": 1,
        "organisation_head": 1,
    }
    assert {c.decided_on.year for c in confirmed} == {ACCOUNT_DAY.year - 1}  # the account's last year


@needs_term
def test_the_counted_records_lie_on_fixed_days_of_the_term(city, term):
    """What the work report counts is dated in the term's calendar, not from the day the demo was
    built: the accountability decisions, the closed instructions and the notices all fall before the
    account's day, so a report as of it reads the seed's 8 held accountable and 6 removed."""
    actions = Accountability.objects.filter(body=city)
    assert actions.count() == 14 and max(actions.values_list("decided_on", flat=True)) < ACCOUNT_DAY
    figures = rectification_figures(city, term, ACCOUNT_DAY)
    assert figures["people_held_accountable"].value == 14 and figures["accountability_removal"].value == 6
    closed = MeetingInstruction.objects.filter(meeting__body=city, status="closed")
    assert closed.count() == 11 and max(closed.values_list("closed_on", flat=True)) < ACCOUNT_DAY
    issued = OfficialDocument.objects.filter(organ_type="orgs.body", organ_id=city.pk, status="issued")
    assert max(timezone.localtime(d.issued_at).date() for d in issued) < ACCOUNT_DAY
    # Each drafted on the day its figures stand at, not on the day the demo was built.
    for d in issued:
        drafted = timezone.localtime(d.created_at).date()
        assert drafted == d.as_of <= timezone.localtime(d.issued_at).date(), d.number
        assert timezone.localtime(d.versions.get(n=1).created_at).date() == drafted, d.number
    assert all(r.number for r in Regulation.objects.filter(body=city))  # each rule with its 文号


@needs_term
def test_each_district_reached_its_own_share_of_villages(city, city_figures):
    """The city-wide grassroots coverage is the seed's 48%, and the districts got there unevenly (the
    yearly assessment ranks them on it), not each at the same 48%."""
    assert city_figures["grassroots_coverage"].value == 0.48
    districts = InspectionBody.objects.filter(level="patrol", owner_org__kind="district_committee")
    shares = []
    for body in districts.select_related("owner_org"):
        grass = body_figures(body, body.terms.get(name="第十二届"), TODAY_FIGURES)["grassroots_coverage"]
        shares.append(grass.value)
    assert len(shares) == 16 and max(shares) - min(shares) > 0.3
    assert len(set(shares)) > 10


@needs_term
def test_the_city_issued_its_notices_under_consecutive_numbers(demo, city, term):
    """The office issued 5 rectification notices across the term, each naming organisations below the
    line at its date, the two naming notices of last year's assessment (the 11 district committees;
    the 7 people) and the self-inspection notice; each kind's serials run 1, 2, … in each year of
    issue, in date order, with no gap, and no 发文字号 repeats within the body and a year."""
    issued = OfficialDocument.objects.filter(organ_type="orgs.body", organ_id=city.pk, status="issued")
    kinds = Counter(issued.values_list("kind", flat=True))
    assert kinds == {"rectification_notice": 5, "naming_notice": 2, "self_inspection_notice": 1}
    numbers = list(issued.values_list("year", "number"))
    assert len(set(numbers)) == len(numbers) and all(number for _year, number in numbers)
    naming = issued.filter(kind="naming_notice").order_by("serial")
    assert [d.params.get("named") for d in naming] == ["committees", "persons"]
    assert len({d.year for d in naming}) == 1  # issued together, a week after the decision
    named = [
        {f.key: f.value for f in figures_of(paper_from_dict(d.paper)) if f.key.startswith("named_")}
        for d in naming
    ]
    assert named == [
        {"named_district_committee": "11"},
        {"named_district_secretary": "5", "named_discipline_secretary": "1", "named_organisation_head": "1"},
    ]
    assert not OfficialDocument.objects.filter(organ_id=city.pk, status="draft").exists()
    for kind in kinds:
        by_year: dict[int, list] = {}
        for doc in issued.filter(kind=kind).order_by("issued_at", "pk"):
            by_year.setdefault(doc.year, []).append(doc)
            assert doc.year == timezone.localtime(doc.issued_at).year and doc.number.endswith(
                f"{doc.serial}号"
            )
        for docs in by_year.values():
            assert [d.serial for d in docs] == list(range(1, len(docs) + 1)), kind
    notices = issued.filter(kind="rectification_notice").order_by("issued_at")
    assert len({d.year for d in notices}) >= 3  # spread across the term
    for doc in notices:
        assert term.start <= doc.as_of < timezone.localdate()
        assert "均不低于警戒线" not in str(doc.paper)  # it names who is below the line
        # the committee assessed the rates that day: each one named owes its self-criticism
        assert "尚未认定" not in str(doc.paper) and "须于" in str(doc.paper)
        assert doc.versions.count() == 2  # drafted, issued (its files queued or rendered)


def test_running_the_demo_twice_changes_nothing(demo):
    """A second ``lijian demo`` (the same mode as the first) finds everything in place."""
    models = [Organization, User, AuditEvent, Group]
    if FULL:
        models += [Round, Problem, Clue, Petition, RectificationTask, Interview, Accountability, Department]
        models += [Meeting, NamingCandidate, OfficialDocument]
    before = [model.objects.count() for model in models]
    out = io.StringIO()
    call_command("demo", *(() if FULL else ("--without-rounds",)), stdout=out)
    assert "无需改动" in out.getvalue()
    assert [model.objects.count() for model in models] == before
