"""Every figure of the work report links to the list of exactly the records it counts (issue 13): the
rounds of that kind of this body and term, the removals apart from the other actions, the cases
exposed in the media only, the lower patrol bodies of that kind of committee … — a link landing on an
unfiltered list or an overview page shows a different count than the figure, and fails here."""

import datetime

import pytest

from lijian.accounts.choices import Role
from lijian.documents import official
from lijian.documents.gbt9704 import figures_of, paper_from_dict
from lijian.findings import services as findings
from lijian.rectification import services as rectification

from .drill import listed, mismatches
from .test_documents import close_self_inspection, confirm_naming, draft

pytestmark = pytest.mark.django_db


def _report(world):
    doc = official.document_draft(
        actor=world.users[Role.OFFICE_STAFF], kind="work_report", organ_id=world.body1.pk, term="第十二届"
    )
    return doc, paper_from_dict(doc.paper)


def test_each_figure_of_the_work_report_lists_what_it_counts(full, client):
    doc, paper = _report(full)
    client.force_login(full.users[Role.OFFICE_STAFF])
    assert mismatches(client, paper, full.body1, full.term1, doc.as_of) == {}


def test_the_removals_and_the_other_actions_link_to_their_own_rows(full, client):
    doc, paper = _report(full)
    client.force_login(full.users[Role.OFFICE_STAFF])
    href = {f.key: f.href for f in figures_of(paper)}
    removed = listed(client, href["people_removed"])
    others = listed(client, href["people_accountable_not_removed"])
    assert (removed.rows, others.rows) == (1, 1)
    page = client.get(href["people_removed"]).content.decode()
    assert "李某" in page and "张某" not in page and 'id="accountability-filter"' in page
    # The whole list is one click away, and a bad filter is refused on the page, not ignored.
    assert listed(client, "/rectification/accountability/").rows == 2
    assert client.get("/rectification/accountability/?removed=maybe").status_code == 400


def test_the_years_notices_self_inspections_and_naming_link_to_what_they_count(full, client):
    """The year's report with a closed self-inspection, an issued rectification notice and two naming
    notices: the notices counted are this body's issued ones of that kind, the named those confirmed."""
    assessment = confirm_naming(full)
    close_self_inspection(full)
    office = full.users[Role.OFFICE_STAFF]
    for kind, named in (
        ("rectification_notice", ""),
        ("naming_notice", "committees"),
        ("naming_notice", "persons"),
    ):
        extra = {"named": named} if named else {}
        official.document_issue(actor=office, document=draft(full, kind, term="", year=2026, **extra))
    draft(full, "rectification_notice")  # a draft is not counted
    doc = draft(full, "work_report", term="", year=2026)
    paper = paper_from_dict(doc.paper)
    client.force_login(office)
    href = {f.key: f.href for f in figures_of(paper)}
    assert {
        "rectification_notices",
        "naming_notices",
        "named_district_secretary",
        "self_inspections_closed",
    } <= set(href)
    assert f"/guidance/assessments/{assessment.pk}/" in href["named_district_secretary"]
    assert mismatches(client, paper, full.body1, full.term1, doc.as_of) == {}
    # The naming notice's own counts open the same narrowed page.
    notice = paper_from_dict(draft(full, "naming_notice", term="", year=2026).paper)
    for figure in figures_of(notice):
        assert listed(client, figure.href).rows == int(figure.value), figure


def test_the_people_disciplined_link_to_the_clues_answered_with_their_sum(full, client):
    """A sum written on clues (people disciplined, losses recovered) opens the list of this body's clues
    answered with some, and the page shows their sum — the other district's answer is not in it."""
    department = full.users[Role.DEPARTMENT]
    full.findings.department2.staff.add(department)
    for clue, people, losses in ((full.findings.clue1, 2, 12.5), (full.findings.clue2, 5, 30)):
        findings.clue_feed_back(
            actor=department,
            clue=clue,
            result="case_opened",
            feedback="已立案审查",
            party_discipline=people,
            losses_recovered=losses,
        )
    doc, paper = _report(full)
    shown = {f.key: f.value for f in figures_of(paper)}
    assert (shown["people_disciplined"], shown["losses_recovered"]) == ("2", "12.5")
    client.force_login(full.users[Role.OFFICE_STAFF])
    assert mismatches(client, paper, full.body1, full.term1, doc.as_of) == {}
    href = {f.key: f.href for f in figures_of(paper)}
    page = client.get(href["people_disciplined"]).content.decode()
    assert "党纪政务处分（人）合计：2。" in page


def test_an_organisation_interviewed_twice_is_one_unit_in_the_list(full, client):
    rectification.interview_record(
        actor=full.admin,
        body=full.body1,
        organization=full.t1,
        interviewer="区委副书记",
        interviewee="街道党工委书记",
        reason="整改仍不到位",
        held_on=datetime.date(2024, 12, 2),
    )
    doc, paper = _report(full)
    href = {f.key: (f.value, f.href) for f in figures_of(paper)}["interviewed_organizations"]
    client.force_login(full.users[Role.OFFICE_STAFF])
    assert href[0] == "1" and listed(client, href[1]).rows == 1
    assert listed(client, href[1].replace("&first=1", "")).rows == 2  # both interviews, when asked
