"""Statuses of problems and clues, and which may follow which."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lijian.core.choices import TransitionTable


class FrameworkLevel(models.TextChoices):
    INSPECTION = "inspection", _("巡视")
    PATROL = "patrol", _("巡察")


class Review(models.TextChoices):
    """Whether the group has approved a problem for its report."""

    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("组内已审定")


REVIEW_TRANSITIONS = TransitionTable(
    Review,
    {
        Review.DRAFT: {Review.APPROVED},
        Review.APPROVED: {Review.DRAFT},  # withdrawn for correction, with a reason, before feedback
    },
)


class ProblemStatus(models.TextChoices):
    """Rectification status (DESIGN.md §7 codes); moves after feedback, in the rectification issue."""

    OPEN = "open", _("未整改")
    RECTIFYING = "rectifying", _("整改中")
    REPORTED_DONE = "reported_done", _("已报完成")
    CLOSED = "closed", _("已销号")
    LONG_TERM_STAGE_MET = "long_term_stage_met", _("长期整改阶段目标已达成")
    REOPENED = "reopened", _("重新整改")


S = ProblemStatus
# Feedback opens rectification; the organisation reports a problem done; only the inspection side
# closes it on evidence (or records a long-term problem's stage met); reopening is its own move.
PROBLEM_TRANSITIONS = TransitionTable(
    ProblemStatus,
    {
        S.OPEN: {S.RECTIFYING},
        S.RECTIFYING: {S.REPORTED_DONE, S.CLOSED, S.LONG_TERM_STAGE_MET},
        S.REPORTED_DONE: {S.CLOSED, S.RECTIFYING, S.LONG_TERM_STAGE_MET},
        S.LONG_TERM_STAGE_MET: {S.CLOSED, S.RECTIFYING, S.REOPENED},
        S.CLOSED: {S.REOPENED},
        S.REOPENED: {S.REPORTED_DONE, S.CLOSED, S.LONG_TERM_STAGE_MET},
    },
)


class DepartmentKind(models.TextChoices):
    DISCIPLINE = "discipline", _("纪委监委")
    ORGANISATION = "organisation", _("组织部门")
    AUDIT = "audit", _("审计机关")
    PROPAGANDA = "propaganda", _("宣传部门")
    POLITICAL_LEGAL = "political_legal", _("政法部门")
    PETITIONS = "petitions", _("信访部门")
    OTHER = "other", _("其他部门")


class ClueStatus(models.TextChoices):
    RECORDED = "recorded", _("待移交")
    TRANSFERRED = "transferred", _("已移交")
    HANDLING = "handling", _("办理中")
    FED_BACK = "fed_back", _("已反馈")
    WITHDRAWN = "withdrawn", _("已撤回")


CLUE_TRANSITIONS = TransitionTable(
    ClueStatus,
    {
        ClueStatus.RECORDED: {ClueStatus.TRANSFERRED, ClueStatus.WITHDRAWN},
        ClueStatus.TRANSFERRED: {ClueStatus.HANDLING, ClueStatus.FED_BACK},
        ClueStatus.HANDLING: {ClueStatus.FED_BACK},
        ClueStatus.FED_BACK: {ClueStatus.HANDLING},  # the office returns an answer that falls short
    },
)


class ClueResult(models.TextChoices):
    CASE_OPENED = "case_opened", _("立案审查调查")
    INQUIRY = "inquiry", _("谈话函询")
    PRELIMINARY_VERIFICATION = "preliminary_verification", _("初步核实")
    FILED_FOR_LATER = "filed_for_later", _("暂存待查")
    CLOSED = "closed", _("予以了结")
