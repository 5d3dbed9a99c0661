"""The city's guidance of the districts' patrol work in the Tianjin account (M7, M16, M17, M18),
carried through the guidance services: last year's special-meeting materials of the 16 district
secretaries reviewed by the city inspection office (five returned once with opinions and accepted on
revision), the office's self-inspection of last year's inspection and patrol work with its findings
and fixes, and last year's assessment of the district committees' patrol work — figure indicators
computed from each district's figures, the quality of its work judged by hand, ranked — whose
confirmed naming candidates are the seed's: 11 district committees, 5 district secretaries, 1 district
discipline secretary and 1 district organisation-department head.

Not wired into the demo builder: ``ensure_guidance`` is called once the city body, the district
patrol bodies and the office account ``xunshiban`` exist (best after the patrol rounds, whose records
the figure indicators read). Names of people are illustrative (the seed gives none)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from lijian.accounts.models import User
from lijian.guidance import selectors, services
from lijian.guidance.choices import IndicatorKind, NamingWho
from lijian.guidance.models import Assessment
from lijian.orgs.choices import OrgKind
from lijian.orgs.models import InspectionBody

from .vocabulary.tianjin import ACCOUNT_DAY

D = datetime.date
Progress = Callable[[str, int, int | None], None]
CITY_BODY = "TJ-XSB"
# The seed's naming (M18): 11 district committees, and of the lowest of them 5 secretaries, 1
# discipline secretary and 1 organisation-department head.
NAMED_COMMITTEES, NAMED_SECRETARIES = 11, 5
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林"
SELF_INSPECTION_ITEMS = (
    ("巡视巡察工作规划和年度计划执行", "按计划完成本年度各轮巡视巡察", False, ""),
    ("政治巡视巡察定位把握", "个别巡察报告对政治问题剖析不够", True, "修订巡察报告审核要点，逐份把关"),
    ("问题线索移交和反馈督办", "2件线索反馈超过3个月期限", True, "建立线索移交台账，逐件跟踪督办"),
    (
        "整改日常监督",
        "对整改落实到位率低于70%的单位督办不够及时",
        True,
        "按月通报整改进度，低于警戒线的即时督办",
    ),
    ("巡察干部选用和培训", "人才库年轻干部占比符合要求", False, ""),
    ("巡视巡察底稿和档案管理", "部分底稿归档不及时", True, "明确归档时限，专人负责"),
)


def _name(index: int) -> str:
    return f"{SURNAMES[index % len(SURNAMES)]}某某"


def _district(body) -> str:
    """The district's name as its posts are written (中共天津市和平区委员会 → 和平区)."""
    return body.owner_org.name.removeprefix("中共天津市").removesuffix("委员会")


def ensure_guidance(progress: Progress | None = None, today: D | None = None) -> dict[str, int]:
    """Last year's material reviews, self-inspection and assessment with its naming, once: nothing
    if the city body has an assessment already (or the body, its district patrol bodies or the
    office account are missing). All of it in one transaction. Returns how many of each were made."""
    today = today or timezone.localdate()
    progress = progress or (lambda stage, done, total: None)
    body = InspectionBody.objects.select_related("owner_org").filter(code=CITY_BODY).first()
    office = User.objects.filter(username="xunshiban").first()
    if body is None or office is None or Assessment.objects.filter(body=body).exists():
        return {}
    districts = list(selectors.lower_bodies(body, OrgKind.DISTRICT_COMMITTEE))
    if len(districts) < NAMED_COMMITTEES:
        return {}
    year = ACCOUNT_DAY.year - 1  # the account's last year, not the build day's
    with transaction.atomic():
        counts = {"material_reviews": _reviews(body, office, districts, year, progress)}
        counts["self_inspection_items"] = _self_inspection(body, office, year)
        counts["naming_candidates"] = _assessment(body, office, districts, year, today, progress)
    return counts


def _reviews(body, office, districts, year: int, progress: Progress) -> int:
    """M16: each district secretary's special meeting on patrol work in the spring of ``year``; every
    third material is returned once with opinions and accepted on revision."""
    for n, district in enumerate(districts):
        committee = district.owner_org
        meeting_on = D(year, 3, 2) + datetime.timedelta(days=n)
        review = services.material_review_receive(
            actor=office,
            body=body,
            organization=committee,
            secretary_name=_name(n),
            secretary_post=f"{_district(district)}委书记",
            meeting_on=meeting_on,
            meeting_title="区委常委会专题会议听取巡察工作情况汇报",
            received_on=meeting_on + datetime.timedelta(days=3),
        )
        start = review.received_on + datetime.timedelta(days=2)
        services.material_review_start(actor=office, review=review, reviewer=office, on=start)
        if n % 3 == 0:
            services.material_review_return(
                actor=office,
                review=review,
                opinions="对巡察发现问题的原因剖析不够深入，整改责任未落实到具体班子成员，请补充完善后重新报送。",
                on=start + datetime.timedelta(days=5),
            )
            services.material_review_resubmit(
                actor=office, review=review, on=start + datetime.timedelta(days=15)
            )
            start += datetime.timedelta(days=16)
            services.material_review_start(actor=office, review=review, reviewer=office, on=start)
        services.material_review_accept(
            actor=office, review=review, opinions="同意。", on=start + datetime.timedelta(days=4)
        )
        progress("指导督导：专题会材料审阅", n + 1, len(districts))
    return len(districts)


def _self_inspection(body, office, year: int) -> int:
    """M7: the office's self-inspection of ``year``'s inspection and patrol work, closed in January."""
    item = services.self_inspection_open(
        actor=office,
        body=body,
        title=f"{year}年度巡视巡察工作自查",
        scope="own",
        period_start=D(year, 1, 1),
        period_end=D(year, 12, 31),
    )
    fixed_on = D(year + 1, 1, 10)
    for text, finding, problem, fix in SELF_INSPECTION_ITEMS:
        services.self_inspection_item_add(
            actor=office,
            inspection=item,
            item=text,
            finding=finding,
            problem_found=problem,
            fix=fix,
            fixed_on=fixed_on if problem else None,
        )
    services.self_inspection_close(
        actor=office,
        inspection=item,
        summary="全年巡视巡察工作总体规范，自查发现的4个问题已全部整改，结果以市委名义通报。",
        on=D(year + 1, 1, 15),
    )
    return len(SELF_INSPECTION_ITEMS)


def _assessment(body, office, districts, year: int, today: D, progress: Progress) -> int:
    """M17/M18: the district committees' patrol work in ``year`` scored (figures computed, the
    judgement given by hand), ranked; the lowest 11 committees, the secretaries of the lowest 5 and
    the discipline secretary and organisation-department head of the lowest confirmed for naming."""
    assessment = services.assessment_create(
        actor=office,
        body=body,
        year=year,
        naming_count=NAMED_COMMITTEES,
        committee_kind=OrgKind.DISTRICT_COMMITTEE,
    )
    progress("指导督导：年度考核", 0, len(districts))
    services.assessment_compute(actor=office, assessment=assessment, today=today)
    judgements = selectors.indicators_active().filter(kind=IndicatorKind.JUDGEMENT)
    for n, district in enumerate(districts):
        for indicator in judgements:
            # a spread of hand scores (55%–95% of the weight), the same on every run
            share = Decimal(55 + (n * 37) % 41) / 100
            services.assessment_score_set(
                actor=office,
                assessment=assessment,
                assessed_body=district,
                indicator=indicator,
                score=(share * indicator.weight).quantize(Decimal("0.01")),
                note="根据日常监督、专题会材料审阅和巡察报告质量评定",
            )
        progress("指导督导：年度考核", n + 1, len(districts))
    proposed = services.assessment_rank(actor=office, assessment=assessment, today=today)
    lowest = [c.assessed_body for c in reversed(proposed)]  # the lowest first
    first = lowest[0]
    k = districts.index(first)
    people = [
        (b, NamingWho.DISTRICT_SECRETARY, _name(districts.index(b)), f"{_district(b)}委书记")
        for b in lowest[:NAMED_SECRETARIES]
    ]
    people += [  # other surnames than the secretary's of the same district
        (first, NamingWho.DISCIPLINE_SECRETARY, _name(k + 7), f"{_district(first)}纪委书记"),
        (first, NamingWho.ORGANISATION_HEAD, _name(k + 11), f"{_district(first)}委组织部部长"),
    ]
    for district, who, name, post in people:
        services.naming_candidate_propose(
            actor=office,
            assessment=assessment,
            assessed_body=district,
            who=who,
            person_name=name,
            reason=f"{post}，履行巡察工作责任不力，巡察工作走过场",
        )
    decided = min(D(year, 12, 20), today)  # in the year: the work report names it among last year's
    for candidate in assessment.candidates.all():
        services.naming_candidate_confirm(actor=office, candidate=candidate, on=decided)
    services.assessment_confirm(actor=office, assessment=assessment)
    return assessment.candidates.count()
