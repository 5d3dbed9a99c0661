"""The city body's work report for its term, drafted from the demo world as of today (as
``test_demo``'s rectification checks are), carries the seed's figures (issue 13): 5 rounds, 126
organisations, 4730 problems, 3 regular rounds over all 51 SOEs, 39 units interviewed, 11 below 70%,
8 held accountable, 6 removed, 16/37/16 bodies, 65 groups, 452 posts, 3844 patrolled, 48%; and once
the demo records the committee's own work, 11 standing-committee meetings, 6 rules, 5 rectification
notices and last year's 2 naming notices of 11 district committees, 5 secretaries, 1 discipline
secretary and 1 organisation-department head (each counted once, not once per notice).

It uses the package's demo world (``tests/demo/conftest.py``), built once for this module and
``test_demo``."""

import datetime

import pytest

from lijian.accounts.models import User
from lijian.documents import official
from lijian.documents.gbt9704 import figures_of, paper_from_dict
from lijian.governance.models import Meeting

from ..reports.drill import mismatches
from ..reports.figures import recompute
from .conftest import needs_term

pytestmark = [pytest.mark.demo_world, pytest.mark.django_db]

SEED = {
    "rounds": "5",
    "inspected_organizations": "126",
    "problems_found": "4730",
    "rounds_regular_soe": "3",
    "soe_inspected": "51",
    "interviewed_organizations": "39",
    "organizations_below_threshold": "11",
    "rectification_threshold": "70%",
    "people_accountable_not_removed": "8",
    "people_removed": "6",
    "patrol_bodies_district_committee": "16",
    "patrol_bodies_department": "37",
    "patrol_bodies_university": "16",
    "patrol_groups": "65",
    "patrol_posts": "452",
    "patrolled_organizations": "3844",
    "grassroots_coverage": "48%",
}
SEED_COMMITTEE = {
    "meetings_standing_committee": "11",
    "regulations_issued": "6",
    "rectification_notices": "5",
    "naming_notices": "2",
    "named_district_committee": "11",
    "named_district_secretary": "5",
    "named_discipline_secretary": "1",
    "named_organisation_head": "1",
}


@pytest.fixture(scope="module")
def report(city, term, django_db_blocker):
    with django_db_blocker.unblock():
        office = User.objects.get(username="xunshiban")
        return official.document_draft(actor=office, kind="work_report", organ_id=city.pk, term=term.name)


def _text(paper) -> str:
    return "".join(r if isinstance(r, str) else r.value for b in paper.blocks for r in getattr(b, "runs", []))


@needs_term
def test_the_city_work_report_carries_the_seeds_figures(report):
    paper = paper_from_dict(report.paper)
    shown = {f.key: f.value for f in figures_of(paper)}
    assert {key: shown.get(key) for key in SEED} == SEED
    assert paper.title == "关于第十二届市委巡视工作情况的报告"
    text = _text(paper)
    assert "本届市委已开展5轮共巡视126个党组织，发现4730个问题" in text
    assert "组织3轮常规巡视，完成对51家国企巡视全覆盖，助推国企混改。" in text
    assert "共约谈39个单位“一把手”" in text
    assert "责令整改落实到位率低于70%的11家党组织，向市委作出深刻检查" in text
    assert "目前，16个区、37个部门和16所高校设立巡察机构，共设立65个巡察组，落实编制452名" in text
    assert "巡察3844个党组织，村、社区党组织巡察覆盖率达到48%。" in text


@needs_term
def test_the_city_work_report_carries_the_committees_own_work(report, city):
    assert Meeting.objects.filter(body=city).exists()  # the demo records the committee's own work
    paper = paper_from_dict(report.paper)
    shown = {f.key: f.value for f in figures_of(paper)}
    assert {key: shown.get(key) for key in SEED_COMMITTEE} == SEED_COMMITTEE
    text = _text(paper)
    assert "党的十九大以来召开11次常委会会议" in text and "等6项制度规定" in text
    assert "5次发文通报整改情况" in text
    assert "去年2次向全市点名通报11个区委和5名区委书记、1名区纪委书记、1名区委组织部部长" in text


@needs_term
def test_every_figure_of_the_city_report_is_recomputed_from_the_database(report, city, term):
    shown = {f.key: f.value for f in figures_of(paper_from_dict(report.paper))}
    expected = recompute(city, term, report.as_of, since=datetime.date(2017, 10, 18))
    assert shown == {key: expected.get(key) for key in shown}


@needs_term
def test_every_figure_of_the_city_report_links_to_the_list_of_what_it_counts(report, city, term, client):
    """Each figure's link, opened as the city office, lists as many records as the figure says (a rate:
    its numerator; the lower bodies' groups and posts: the totals of the bodies listed) — a link to an
    unfiltered list (all bodies' rounds, all exposures, 14 actions for 8 and 6) or to an overview fails."""
    client.force_login(User.objects.get(username="xunshiban"))
    paper = paper_from_dict(report.paper)
    assert mismatches(client, paper, city, term, report.as_of) == {}
