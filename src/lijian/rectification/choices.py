"""Rectification tasks: kinds and statuses (DESIGN.md §7 codes)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lijian.core.choices import TransitionTable


class TaskKind(models.TextChoices):
    IMMEDIATE = "immediate", _("立行立改")
    CONCENTRATED = "concentrated", _("集中整改")
    LONG_TERM = "long_term", _("长期坚持")


class TaskStatus(models.TextChoices):
    PLANNED = "planned", _("未开始")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
    LONG_TERM = "long_term", _("长期坚持")


TASK_TRANSITIONS = TransitionTable(
    TaskStatus,
    {
        TaskStatus.PLANNED: {TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.LONG_TERM},
        TaskStatus.IN_PROGRESS: {TaskStatus.DONE, TaskStatus.LONG_TERM},
        TaskStatus.DONE: {TaskStatus.IN_PROGRESS},  # found not done when the problem is reopened
        TaskStatus.LONG_TERM: {TaskStatus.DONE},
    },
)


class TaskReview(models.TextChoices):
    """Where a task stands with the inspection side, apart from how far its work has gone."""

    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已审核")
    RETURNED = "returned", _("已退回")


# The inspection side accepts or returns a pending task (with a comment); the liaison's change puts a
# returned or accepted task back to pending. A returned task is never accepted until it is changed.
TASK_REVIEW_TRANSITIONS = TransitionTable(
    TaskReview,
    {
        TaskReview.PENDING: {TaskReview.ACCEPTED, TaskReview.RETURNED},
        TaskReview.ACCEPTED: {TaskReview.PENDING},
        TaskReview.RETURNED: {TaskReview.PENDING},
    },
)


class TaskEventAction(models.TextChoices):
    SUBMITTED = "submitted", _("制定")
    CHANGED = "changed", _("修改")
    ACCEPTED = "accepted", _("审核通过")
    RETURNED = "returned", _("退回")


class SelfCriticismStatus(models.TextChoices):
    DUE = "due", _("待提交")
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已通过")
    RETURNED = "returned", _("退回重写")


SELF_CRITICISM_TRANSITIONS = TransitionTable(
    SelfCriticismStatus,
    {
        SelfCriticismStatus.DUE: {SelfCriticismStatus.SUBMITTED},
        SelfCriticismStatus.SUBMITTED: {SelfCriticismStatus.ACCEPTED, SelfCriticismStatus.RETURNED},
        SelfCriticismStatus.RETURNED: {SelfCriticismStatus.SUBMITTED},
    },
)


class AccountabilityAction(models.TextChoices):
    CRITICISM_NOTICE = "criticism_notice", _("通报批评")
    ADMONISHMENT = "admonishment", _("诫勉")
    ORDERED_REVIEW = "ordered_review", _("责令检查")
    SUSPENSION = "suspension", _("停职检查")
    REASSIGNMENT = "reassignment", _("调整职务")
    ORDERED_RESIGNATION = "ordered_resignation", _("责令辞职")
    DEMOTION = "demotion", _("降职")
    REMOVAL = "removal", _("免职")
    PARTY_DISCIPLINE = "party_discipline", _("纪律处分")


class ReportKind(models.TextChoices):
    RECTIFICATION = "rectification", _("整改情况报告")
    TOP_LEADER = "top_leader", _("主要负责人组织落实情况报告")


class SupervisionMethod(models.TextChoices):
    LETTER = "letter", _("督办函")
    ON_SITE = "on_site", _("现场督导")
    MEETING = "meeting", _("督办会")
    PHONE = "phone", _("电话督办")


class Grade(models.TextChoices):
    GOOD = "good", _("好")
    FAIR_GOOD = "fair_good", _("较好")
    AVERAGE = "average", _("一般")
    POOR = "poor", _("差")


# 整改评估: indicators with their full marks (summing to 100) and the lowest total of each grade.
# A poor grade puts the organisation on the look-back list and proposes an interview of its top leader.
EVALUATION_INDICATORS: tuple[tuple[str, str, int], ...] = (
    ("responsibility", _("整改主体责任落实"), 20),
    ("completion", _("问题整改完成情况"), 30),
    ("closing", _("对账销号质量"), 20),
    ("rules", _("建章立制和长效机制"), 15),
    ("use", _("举一反三和成果运用"), 15),
)
GRADE_FLOORS: tuple[tuple[str, int], ...] = (
    (Grade.GOOD, 90),
    (Grade.FAIR_GOOD, 75),
    (Grade.AVERAGE, 60),
    (Grade.POOR, 0),
)


class Audience(models.TextChoices):
    PARTY = "party", _("党内公开")
    PUBLIC = "public", _("向社会公开")


class InstructionStatus(models.TextChoices):
    OPEN = "open", _("待落实")
    ANSWERED = "answered", _("已报落实情况")
    CLOSED = "closed", _("已办结")


INSTRUCTION_TRANSITIONS = TransitionTable(
    InstructionStatus,
    {
        InstructionStatus.OPEN: {InstructionStatus.ANSWERED},
        InstructionStatus.ANSWERED: {InstructionStatus.CLOSED, InstructionStatus.OPEN},
    },
)
