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
