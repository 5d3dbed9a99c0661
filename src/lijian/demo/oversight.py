"""The office's pressing on the city term's rectification, read back from the tasks' state and written
through the services: a supervision letter to each organisation below the line, an evaluation of
every organisation fed back at least half a year before the assessment (the rates suggest two
indicators, the rest follow the organisation's pace), the mayor's interviews of the poorly graded
linked to their evaluations, and the disclosures of the organisations that finished best.
"""

from __future__ import annotations

import datetime
import random

from lijian.demo.policy.rectification import OVERSIGHT_SEED, PUBLIC_DISCLOSURES, evaluation_scores
from lijian.findings.services import add_months
from lijian.rectification.choices import Audience, Grade, SupervisionMethod
from lijian.rectification.disclosure import disclosure_publish
from lijian.rectification.models import Interview
from lijian.rectification.rates import rates_by_organization
from lijian.rectification.supervision import (
    evaluation_link_interview,
    evaluation_record,
    evaluation_suggest,
    supervision_record,
)
from lijian.rectification.word_papers import cn_date

DAY = datetime.timedelta(days=1)


def ensure_oversight(state, below: dict[int, object]) -> dict[str, int]:
    """``state`` is the demo's ``CityTerm``; ``below`` the self-criticisms by organisation id."""
    rng = random.Random(OVERSIGHT_SEED)
    rates = rates_by_organization(state.body, state.term, state.assessed)
    org_of = {org: inspection.organization for org, inspection in state.inspections.items()}
    supervisions = 0
    for org in sorted(below, key=lambda o: org_of[o].code):
        rate = rates[org]["implementation_rate"]
        supervision_record(
            actor=state.office,
            body=state.body,
            organization=org_of[org],
            inspection=state.inspections[org],
            method=SupervisionMethod.LETTER,
            held_on=state.assessed + DAY,
            content=(
                f"整改落实到位率{rate.numerator}/{rate.denominator}，低于警戒线。请于30日内报送深刻检查，"
                "逐项说明逾期整改任务的原因和完成时限。"
            ),
        )
        supervisions += 1

    evaluations, poor = 0, 0
    interviews = {
        i.organization_id: i
        for i in Interview.objects.filter(body=state.body, held_on__gte=state.assessed).order_by("held_on")
    }
    for org, inspection in sorted(state.inspections.items(), key=lambda item: item[1].organization.code):
        if add_months(inspection.feedback.held_on, 6) > state.assessed:
            continue  # too recent to evaluate
        scores = evaluation_suggest(org_of[org], state.body, state.term, state.assessed)
        lagging = org in below
        scores.update(evaluation_scores(rng, lagging))
        scores.setdefault("completion", 0)
        scores.setdefault("closing", 0)
        evaluation = evaluation_record(
            actor=state.office,
            body=state.body,
            organization=org_of[org],
            term=state.term,
            evaluated_on=state.assessed,
            scores=scores,
            notes="整改进度滞后，整改成效不明显。" if lagging else "整改责任落实，整改成效明显。",
        )
        evaluations += 1
        if evaluation.grade == Grade.POOR:
            poor += 1
            interview = interviews.get(org)
            if interview is not None:
                evaluation_link_interview(actor=state.office, evaluation=evaluation, interview=interview)

    disclosed = 0
    best = sorted(
        (o for o in rates if rates[o]["implementation_rate"].denominator),
        key=lambda o: (-rates[o]["implementation_rate"].value, org_of[o].code),
    )[:PUBLIC_DISCLOSURES]
    for org in best:
        inspection = state.inspections[org]
        closed = list(inspection.problems.filter(status="closed").order_by("ref")[:3])
        rate = rates[org]["implementation_rate"]
        disclosure_publish(
            actor=state.office,
            inspection=inspection,
            audience=Audience.PUBLIC,
            title=f"中共{org_of[org].name}关于巡视整改进展情况的通报",
            text=(
                f"根据市委统一部署，{inspection.group.name if inspection.group else '市委巡视组'}"
                f"对{org_of[org].name}进行了巡视，"
                f"并于{cn_date(inspection.feedback.held_on)}反馈了意见。"
                f"截至目前，反馈的{rate.denominator}个问题中已有{rate.numerator}个整改到位。"
                "欢迎广大干部群众对巡视整改落实情况进行监督。"
            ),
            published_on=state.assessed,
            problems=closed,
        )
        disclosed += 1
    return {"supervisions": supervisions, "evaluations": evaluations, "poor": poor, "disclosures": disclosed}
