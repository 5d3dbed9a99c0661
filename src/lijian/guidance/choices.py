"""The guidance of lower bodies: statuses with their transition tables, and the codes of the ledger files."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from lijian.core.choices import TransitionTable


class ReviewStatus(models.TextChoices):
    """Where a district secretary's special-meeting material stands with the reviewing office (M16)."""

    RECEIVED = "received", _("已收到")
    UNDER_REVIEW = "under_review", _("审阅中")
    RETURNED = "returned", _("退回修改")
    RESUBMITTED = "resubmitted", _("已重新报送")
    ACCEPTED = "accepted", _("审阅通过")


# Every round of review ends returned or accepted; a returned material comes back resubmitted and is
# reviewed again, so the rounds are kept (``ReviewRound``) and accepted is final.
REVIEW_TRANSITIONS = TransitionTable(
    ReviewStatus,
    {
        ReviewStatus.RECEIVED: {ReviewStatus.UNDER_REVIEW},
        ReviewStatus.UNDER_REVIEW: {ReviewStatus.RETURNED, ReviewStatus.ACCEPTED},
        ReviewStatus.RETURNED: {ReviewStatus.RESUBMITTED},
        ReviewStatus.RESUBMITTED: {ReviewStatus.UNDER_REVIEW},
    },
)


class RoundOutcome(models.TextChoices):
    PENDING = "", _("审阅中")
    RETURNED = "returned", _("退回修改")
    ACCEPTED = "accepted", _("通过")


class InspectionScope(models.TextChoices):
    """Whose work a self-inspection (M7) looks at."""

    OWN = "own", _("本级")
    LOWER = "lower", _("下级")


class SelfInspectionStatus(models.TextChoices):
    OPEN = "open", _("自查中")
    CLOSED = "closed", _("已完成")


SELF_INSPECTION_TRANSITIONS = TransitionTable(
    SelfInspectionStatus, {SelfInspectionStatus.OPEN: {SelfInspectionStatus.CLOSED}}
)


class IndicatorKind(models.TextChoices):
    FIGURE = "figure", _("数据指标")
    JUDGEMENT = "judgement", _("评议指标")


class FigureKey(models.TextChoices):
    """The figures (``lijian.analytics.figures``) a figure indicator reads, each a rate from 0 to 1."""

    TERM_COVERAGE = "term_coverage", _("本届巡察覆盖率")
    GRASSROOTS_COVERAGE = "grassroots_coverage", _("村（社区）巡察覆盖率")
    IMPLEMENTATION_RATE = "implementation_rate", _("整改落实到位率")
    CLUES_ON_TIME = "clues_fed_back_on_time", _("问题线索按期反馈率")


# The names the indicators were seeded with (migration 0002), in the catalogue: an indicator whose
# name is still one of these shows it translated; a name the office changed shows as typed.
SEEDED_INDICATOR_NAMES = frozenset(
    {
        gettext_noop("巡察全覆盖"),
        gettext_noop("村（社区）巡察覆盖"),
        gettext_noop("整改落实到位率"),
        gettext_noop("问题线索按期反馈"),
        gettext_noop("巡察工作质量"),
    }
)


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("评分中")
    SCORED = "scored", _("已排名")
    CONFIRMED = "confirmed", _("已确定")


# Scores are computed and entered while the assessment is a draft; ranking closes the scoring and
# proposes the lowest for naming; once the office has decided every candidate the result is confirmed.
# Ranking again (after a score is corrected) goes back to the draft.
ASSESSMENT_TRANSITIONS = TransitionTable(
    AssessmentStatus,
    {
        AssessmentStatus.DRAFT: {AssessmentStatus.SCORED},
        AssessmentStatus.SCORED: {AssessmentStatus.CONFIRMED, AssessmentStatus.DRAFT},
    },
)


class NamingWho(models.TextChoices):
    """Whom a naming notice (M18) names, grouped as the seed counts them."""

    DISTRICT_COMMITTEE = "district_committee", _("区委")
    DISTRICT_SECRETARY = "district_secretary", _("区委书记")
    DISCIPLINE_SECRETARY = "discipline_secretary", _("区纪委书记")
    ORGANISATION_HEAD = "organisation_head", _("区委组织部部长")


class CandidateStatus(models.TextChoices):
    # A status, not the buttons of the same words (确定通报 / 不予通报): English tells them apart.
    PROPOSED = "proposed", _("拟通报")
    CONFIRMED = "confirmed", pgettext_lazy("naming status", "确定通报")
    DROPPED = "dropped", pgettext_lazy("naming status", "不予通报")


CANDIDATE_TRANSITIONS = TransitionTable(
    CandidateStatus,
    {CandidateStatus.PROPOSED: {CandidateStatus.CONFIRMED, CandidateStatus.DROPPED}},
)
