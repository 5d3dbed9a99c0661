"""M17/M18: the yearly assessment scored from analytics' figures and by hand, ranked, its lowest
proposed for naming, the office's decisions, and what the naming notice reads."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from lijian.accounts.choices import Role
from lijian.analytics.figures import body_figures
from lijian.guidance import scoring, selectors, services
from lijian.guidance.choices import ASSESSMENT_TRANSITIONS, CANDIDATE_TRANSITIONS, AssessmentStatus
from lijian.guidance.models import AssessmentIndicator, AssessmentScore, NamingCandidate

from ..world import build_findings, build_rectification, build_rounds
from ..world_guidance import assessment_indicators, build_guidance

TODAY = datetime.date(2026, 12, 4)


def test_the_tables_allow_exactly_these_moves():
    assert ASSESSMENT_TRANSITIONS.pairs() == {
        ("draft", "scored"),
        ("scored", "confirmed"),
        ("scored", "draft"),
    }
    assert CANDIDATE_TRANSITIONS.pairs() == {("proposed", "confirmed"), ("proposed", "dropped")}
    for status in ("confirmed", "dropped"):
        assert not any(
            CANDIDATE_TRANSITIONS.can(status, other) for other in ("proposed", "confirmed", "dropped")
        )
    assert not any(ASSESSMENT_TRANSITIONS.can("confirmed", other) for other in AssessmentStatus.values)
    assert not ASSESSMENT_TRANSITIONS.can("draft", "confirmed")


def _city_assessment(world, naming_count=1):
    indicators = assessment_indicators()
    assessment = services.assessment_create(
        actor=world.admin, body=world.city_body, year=2026, naming_count=naming_count
    )
    return assessment, indicators


def test_figure_scores_are_the_analytics_figures_weighted(world):
    rounds = build_rounds(world)
    findings = build_findings(world, rounds)
    build_rectification(world, rounds, findings)
    assessment, indicators = _city_assessment(world)
    written = services.assessment_compute(actor=world.admin, assessment=assessment, today=TODAY)
    assert written == 8  # two lower bodies (the districts' patrol offices) × four figure indicators
    figures = body_figures(world.body1, world.term1, TODAY)
    coverage = figures["term_coverage"]
    score = AssessmentScore.objects.get(
        assessment=assessment, assessed_body=world.body1, indicator=indicators["coverage"]
    )
    assert score.computed and score.value == scoring._fraction(coverage.numerator, coverage.denominator)
    assert score.score == (score.value * 30).quantize(Decimal("0.01"))
    values = scoring.figure_values(world.body1, TODAY)
    rate = AssessmentScore.objects.get(
        assessment=assessment, assessed_body=world.body1, indicator=indicators["rectification"]
    )
    assert rate.value == values["implementation_rate"]


def test_ranking_proposes_the_lowest_and_the_office_decides(world):
    assessment, indicators = _city_assessment(world, naming_count=1)
    services.assessment_compute(actor=world.admin, assessment=assessment, today=TODAY)
    for body, score in ((world.body1, 18), (world.body2, 10)):
        services.assessment_score_set(
            actor=world.admin,
            assessment=assessment,
            assessed_body=body,
            indicator=indicators["quality"],
            score=Decimal(score),
        )
    (candidate,) = services.assessment_rank(actor=world.admin, assessment=assessment)
    assert candidate.assessed_body == world.body2 and candidate.who == "district_committee"
    assert candidate.person_name == world.d2.name
    ranking = selectors.ranking(assessment)
    assert [r["body"] for r in ranking] == [world.body1, world.body2] and [r["rank"] for r in ranking] == [
        1,
        2,
    ]
    with pytest.raises(ValidationError):  # ranked: scores are closed
        services.assessment_score_set(
            actor=world.admin,
            assessment=assessment,
            assessed_body=world.body1,
            indicator=indicators["quality"],
            score=Decimal(1),
        )
    secretary = services.naming_candidate_propose(
        actor=world.admin,
        assessment=assessment,
        assessed_body=world.body2,
        who="district_secretary",
        person_name="王某某",
        reason="履行巡察工作第一责任人职责不力",
    )
    with pytest.raises(ValidationError):  # a candidate still proposed
        services.assessment_confirm(actor=world.admin, assessment=assessment)
    services.naming_candidate_confirm(actor=world.admin, candidate=candidate, on=TODAY)
    services.naming_candidate_drop(actor=world.admin, candidate=secretary, on=TODAY)
    with pytest.raises(ValidationError):  # decided: final
        services.naming_candidate_confirm(actor=world.admin, candidate=secretary, on=TODAY)
    services.assessment_confirm(actor=world.admin, assessment=assessment)
    content = selectors.naming_notice_content(assessment)
    assert content["counts"] == {
        "district_committee": 1,
        "district_secretary": 0,
        "discipline_secretary": 0,
        "organisation_head": 0,
    }
    assert content["groups"][0]["entries"][0]["name"] == world.d2.name and content["total"] == 1


def test_ranking_waits_for_every_score_and_reopening_drops_the_proposals(world):
    assessment, indicators = _city_assessment(world, naming_count=2)
    with pytest.raises(ValidationError):
        services.assessment_rank(actor=world.admin, assessment=assessment)
    services.assessment_compute(actor=world.admin, assessment=assessment, today=TODAY)
    services.assessment_score_set(
        actor=world.admin,
        assessment=assessment,
        assessed_body=world.body1,
        indicator=indicators["quality"],
        score=Decimal(5),
    )
    with pytest.raises(ValidationError):  # 河西 has no judgement score yet
        services.assessment_rank(actor=world.admin, assessment=assessment)
    services.assessment_score_set(
        actor=world.admin,
        assessment=assessment,
        assessed_body=world.body2,
        indicator=indicators["quality"],
        score=Decimal(6),
    )
    assert len(services.assessment_rank(actor=world.admin, assessment=assessment)) == 2
    services.assessment_reopen(actor=world.admin, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == "draft" and not NamingCandidate.objects.filter(assessment=assessment).exists()


def test_scores_by_hand_are_judgement_scores_within_the_weight(world):
    assessment, indicators = _city_assessment(world)
    set_score = services.assessment_score_set
    with pytest.raises(ValidationError) as caught:
        set_score(
            actor=world.admin,
            assessment=assessment,
            assessed_body=world.body1,
            indicator=indicators["coverage"],
            score=Decimal(1),
        )
    assert "indicator" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        set_score(
            actor=world.admin,
            assessment=assessment,
            assessed_body=world.body1,
            indicator=indicators["quality"],
            score=Decimal(21),
        )
    assert "score" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:  # the city's own body is not a lower body
        set_score(
            actor=world.admin,
            assessment=assessment,
            assessed_body=world.city_body,
            indicator=indicators["quality"],
            score=Decimal(1),
        )
    assert "assessed_body" in caught.value.error_dict
    with pytest.raises(PermissionDenied):  # a district office does not assess for the city
        set_score(
            actor=world.users[Role.OFFICE_STAFF],
            assessment=assessment,
            assessed_body=world.body1,
            indicator=indicators["quality"],
            score=Decimal(1),
        )


def test_an_indicator_names_its_figure_only_when_it_is_one(world):
    bad = AssessmentIndicator(code="X", name="无来源", weight=10, kind="figure")
    with pytest.raises(ValidationError) as caught:
        bad.full_clean()
    assert "figure_key" in caught.value.error_dict
    with pytest.raises(ValidationError):
        AssessmentIndicator(
            code="Y", name="评议", weight=10, kind="judgement", figure_key="term_coverage"
        ).full_clean()
    with pytest.raises(ValidationError):
        AssessmentIndicator(code="Z", name="过重", weight=101, kind="judgement").full_clean()


def test_a_year_is_assessed_once_and_not_ahead(world):
    services.assessment_create(actor=world.admin, body=world.body1, year=2025)
    with pytest.raises(ValidationError):
        services.assessment_create(actor=world.admin, body=world.body1, year=2025)
    with pytest.raises(ValidationError) as caught:
        services.assessment_create(actor=world.admin, body=world.body1, year=2099)
    assert "year" in caught.value.error_dict


def test_a_district_sees_its_own_assessments_only(world):
    g = build_guidance(world)
    assert list(selectors.assessments_visible(world.users[Role.OFFICE_STAFF])) == [g.assessment1]
    assert list(selectors.assessments_visible(world.outsider)) == [g.assessment2]
    assert list(selectors.assessments_visible(world.users[Role.LIAISON])) == []


def test_an_assessment_of_district_committees_scores_only_their_patrol_bodies(world):
    g = build_guidance(world)  # adds a department's patrol body under each district
    everyone = services.assessment_create(actor=world.admin, body=world.city_body, year=2025)
    districts = services.assessment_create(
        actor=world.admin, body=world.city_body, year=2024, committee_kind="district_committee"
    )
    assert set(selectors.assessed_bodies(everyone)) == {world.body1, world.body2, g.lower1, g.lower2}
    assert set(selectors.assessed_bodies(districts)) == {world.body1, world.body2}
    with pytest.raises(ValidationError) as caught:
        services.assessment_score_set(
            actor=world.admin,
            assessment=districts,
            assessed_body=g.lower1,
            indicator=assessment_indicators()["quality"],
            score=Decimal(5),
        )
    assert "assessed_body" in caught.value.error_dict


def test_ranking_leaves_out_a_committee_proposed_by_hand_already(world):
    assessment, indicators = _city_assessment(world, naming_count=2)
    services.assessment_compute(actor=world.admin, assessment=assessment, today=TODAY)
    for body in (world.body1, world.body2):
        services.assessment_score_set(
            actor=world.admin,
            assessment=assessment,
            assessed_body=body,
            indicator=indicators["quality"],
            score=Decimal(9),
        )
    services.naming_candidate_propose(
        actor=world.admin,
        assessment=assessment,
        assessed_body=world.body2,
        who="district_committee",
        person_name=world.d2.name,
        reason="巡察工作走过场",
    )
    made = services.assessment_rank(actor=world.admin, assessment=assessment)
    assert [c.assessed_body for c in made] == [world.body1]
    assert assessment.candidates.count() == 2


def test_candidates_are_named_by_kind_then_lowest_total_first(world):
    g = build_guidance(world)
    assessment = g.assessment1
    indicator = AssessmentScore.objects.filter(assessment=assessment).first().indicator
    # A second body scored far lower than lower1: it is named first among the committees.
    AssessmentScore.objects.create(
        assessment=assessment, assessed_body=g.lower2, indicator=indicator, score=0
    )
    made = [
        NamingCandidate.objects.create(
            assessment=assessment, assessed_body=body, who=who, person_name=name, reason="排名靠后"
        )
        for body, who, name in (
            (g.lower1, "organisation_head", "赵某"),
            (g.lower2, "district_secretary", "钱某"),
            (g.lower2, "district_committee", "孙某区委"),
        )
    ]
    ordered = selectors.candidates_in_order(assessment)
    assert [c.pk for c in ordered] == [made[2].pk, g.candidate1.pk, made[1].pk, made[0].pk]
    NamingCandidate.objects.filter(assessment=assessment).update(status="confirmed")
    groups = selectors.naming_notice_content(assessment)["groups"]
    assert [e["name"] for e in groups[0]["entries"]] == ["孙某区委", g.candidate1.person_name]


def test_an_english_reader_ranks_and_the_notice_still_quotes_a_chinese_reason(world):
    assessment, indicators = _city_assessment(world, naming_count=1)
    services.assessment_compute(actor=world.admin, assessment=assessment, today=TODAY)
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:  # no judgement score yet
            services.assessment_rank(actor=world.admin, assessment=assessment)
        assert not re.search(r"[\u3001\u3002\uff1a]", " ".join(refused.value.messages))  # 、。：
        for body, score in ((world.body1, 18), (world.body2, 10)):
            services.assessment_score_set(
                actor=world.admin,
                assessment=assessment,
                assessed_body=body,
                indicator=indicators["quality"],
                score=Decimal(score),
            )
        (candidate,) = services.assessment_rank(actor=world.admin, assessment=assessment)
    assert candidate.reason.startswith(f"{assessment.year}年度巡察工作考核排名第 2 位")


def test_a_seeded_indicator_reads_in_english_and_a_renamed_one_as_typed(db):
    quality = AssessmentIndicator.objects.get(code="quality")
    with translation.override("en"):
        assert quality.label == "Quality of patrol work"
        quality.name = "巡察整改质量"
        assert quality.label == "巡察整改质量"
    quality.name = "巡察工作质量"
    assert quality.label == "巡察工作质量"
