"""Feedback to an inspected organisation, its rectification tasks, and each problem's status history.

The history (``ProblemEvent``) is what the rates read: a problem's status on a reference date is the
status of its last event on or before that date, so a rate can be computed for any past day and a
reopened problem stops counting as closed from the day it was reopened."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lijian.core.fields import optional_link, user_field
from lijian.findings.choices import ProblemStatus

from .choices import (
    AccountabilityAction,
    Audience,
    Grade,
    InstructionStatus,
    ReportKind,
    SelfCriticismStatus,
    SupervisionMethod,
    TaskEventAction,
    TaskKind,
    TaskReview,
    TaskStatus,
)


class Feedback(models.Model):
    """巡视反馈: the formal feedback of one inspection's problems and requirements."""

    inspection = models.OneToOneField(
        "inspections.Inspection",
        verbose_name=_("巡视巡察"),
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    held_on = models.DateField(_("反馈日期"))
    given_by = models.CharField(_("反馈人"), max_length=200)
    received_by = models.CharField(_("接受反馈人"), max_length=200)
    requirements = models.TextField(_("整改要求"), blank=True)
    report_due = models.DateField(_("整改报告期限"))
    recorded_by = user_field(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("巡视巡察反馈")
        verbose_name_plural = _("巡视巡察反馈")

    def __str__(self):
        return f"{self.inspection} · {self.held_on:%Y-%m-%d}"


class RectificationTask(models.Model):
    """One measure for one problem, with its responsible leader and department and a deadline."""

    problem = models.ForeignKey(
        "findings.Problem", verbose_name=_("问题"), on_delete=models.CASCADE, related_name="tasks"
    )
    measure = models.TextField(_("整改措施"), max_length=5000)
    responsible_leader = models.CharField(_("责任领导"), max_length=60)
    responsible_department = models.CharField(_("责任部门"), max_length=120)
    deadline = models.DateField(_("完成时限"))
    kind = models.CharField(_("类型"), max_length=16, choices=TaskKind.choices, default=TaskKind.CONCENTRATED)
    status = models.CharField(
        _("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.PLANNED
    )
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    review = models.CharField(
        _("审核状态"), max_length=12, choices=TaskReview.choices, default=TaskReview.PENDING
    )
    accepted_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)
    accepted_by = user_field(_("审核人"), blank=True)

    class Meta:
        verbose_name = _("整改任务")
        verbose_name_plural = _("整改任务")
        ordering = ["problem", "deadline", "pk"]

    def __str__(self):
        return f"{self.problem.ref} · {self.measure[:30]}"


class TaskEvent(models.Model):
    """One step of a task's review: written, changed (what changed), accepted, or returned with the
    inspection side's comment — who and when; the history a returned task shows."""

    task = models.ForeignKey(
        RectificationTask, verbose_name=_("整改任务"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=12, choices=TaskEventAction.choices)
    comment = models.TextField(_("意见"), max_length=1000, blank=True)
    changes = models.JSONField(_("修改内容"), default=dict, blank=True)  # field -> [before, after]
    actor = user_field(_("操作人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("整改任务审核记录")
        verbose_name_plural = _("整改任务审核记录")
        ordering = ["task", "at", "pk"]

    def __str__(self):
        return f"{self.task_id} {self.action} {self.at:%Y-%m-%d}"


class ProblemEvent(models.Model):
    """A change of a problem's rectification status on a day, by whom and why (with evidence)."""

    problem = models.ForeignKey(
        "findings.Problem", verbose_name=_("问题"), on_delete=models.CASCADE, related_name="events"
    )
    status = models.CharField(_("状态"), max_length=24, choices=ProblemStatus.choices)
    on = models.DateField(_("日期"))
    reason = models.TextField(_("说明"), max_length=2000, blank=True)
    actor = user_field(_("操作人"))
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("问题状态变化")
        verbose_name_plural = _("问题状态变化")
        ordering = ["problem", "on", "pk"]
        indexes = [models.Index(fields=["problem", "on"], name="problem_event_on_idx")]

    def __str__(self):
        return f"{self.problem_id} {self.status} {self.on:%Y-%m-%d}"


class SelfCriticism(models.Model):
    """深刻检查: owed to the committee by an organisation whose implementation rate fell below the
    body's threshold, tracked to its submission and acceptance."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="self_criticisms",
    )
    body = models.ForeignKey(
        "orgs.InspectionBody",
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="self_criticisms",
    )
    term = models.ForeignKey("orgs.Term", verbose_name=_("届次"), on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(_("认定日期"))
    numerator = models.PositiveIntegerField(_("落实到位的问题"))
    denominator = models.PositiveIntegerField(_("已反馈的问题"))
    threshold = models.PositiveSmallIntegerField(_("警戒线（%）"))
    due_on = models.DateField(_("提交期限"))
    status = models.CharField(
        _("状态"), max_length=12, choices=SelfCriticismStatus.choices, default=SelfCriticismStatus.DUE
    )
    text = models.TextField(_("检查内容"), blank=True)
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)
    accepted_on = models.DateField(_("通过日期"), null=True, blank=True)
    return_reason = models.CharField(_("退回理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("深刻检查")
        verbose_name_plural = _("深刻检查")
        ordering = ["-assessed_on", "organization"]

    def __str__(self):
        return f"{self.organization} · {self.assessed_on:%Y-%m-%d}"


class Interview(models.Model):
    """约谈: who interviewed whom, of which organisation, why, when, and the follow-up."""

    body = models.ForeignKey(
        "orgs.InspectionBody", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="interviews"
    )
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="interviews"
    )
    interviewer = models.CharField(_("约谈人"), max_length=120)
    interviewee = models.CharField(_("被约谈人"), max_length=120)
    interviewee_post = models.CharField(_("被约谈人职务"), max_length=120, blank=True)
    reason = models.TextField(_("约谈事由"))
    held_on = models.DateField(_("约谈日期"))
    follow_up = models.TextField(_("后续跟踪"), blank=True)
    inspection = optional_link("inspections.Inspection", _("巡视巡察"), "interviews")
    recorded_by = user_field(_("登记人"))

    class Meta:
        verbose_name = _("约谈")
        verbose_name_plural = _("约谈")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.interviewer} → {self.interviewee} {self.held_on:%Y-%m-%d}"


class Accountability(models.Model):
    """问责: an action on a person, linked to what caused it (inspection, problem, task, self-criticism)."""

    body = models.ForeignKey(
        "orgs.InspectionBody", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="accountability"
    )
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="accountability"
    )
    subject_name = models.CharField(_("问责对象"), max_length=60)
    subject_post = models.CharField(_("职务"), max_length=120)
    action = models.CharField(_("问责方式"), max_length=24, choices=AccountabilityAction.choices)
    reason = models.TextField(_("问责事由"))
    decided_by = models.CharField(_("决定机关"), max_length=120)
    decided_on = models.DateField(_("决定日期"))
    inspection = optional_link("inspections.Inspection", _("巡视巡察"), "accountability")
    problem = optional_link("findings.Problem", _("问题"), "accountability")
    task = optional_link(RectificationTask, _("整改任务"), "accountability")
    self_criticism = optional_link(SelfCriticism, _("深刻检查"), "accountability")
    recorded_by = user_field(_("登记人"))

    class Meta:
        verbose_name = _("问责")
        verbose_name_plural = _("问责")
        ordering = ["-decided_on", "-pk"]

    def __str__(self):
        return f"{self.subject_name} · {self.get_action_display()}"


class TaskProgress(models.Model):
    """A progress report on one task by the inspected organisation (evidence goes on the problem)."""

    task = models.ForeignKey(
        RectificationTask, verbose_name=_("整改任务"), on_delete=models.CASCADE, related_name="progress"
    )
    on = models.DateField(_("日期"))
    text = models.TextField(_("进展情况"))
    actor = user_field(_("报送人"))
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("整改进展")
        verbose_name_plural = _("整改进展")
        ordering = ["task", "on", "pk"]

    def __str__(self):
        return f"{self.task_id} {self.on:%Y-%m-%d}"


class RectificationReport(models.Model):
    """整改情况报告 or 主要负责人组织落实情况报告 of one inspection, submitted by the liaison."""

    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("巡视巡察"),
        on_delete=models.PROTECT,
        related_name="rectification_reports",
    )
    kind = models.CharField(_("报告类型"), max_length=16, choices=ReportKind.choices)
    text = models.TextField(_("报告正文"))
    signed_by = models.CharField(_("署名"), max_length=120)
    submitted_on = models.DateField(_("报送日期"))
    submitted_by = user_field(_("报送人"))

    class Meta:
        verbose_name = _("整改报告")
        verbose_name_plural = _("整改报告")
        ordering = ["inspection", "kind"]
        constraints = [models.UniqueConstraint(fields=["inspection", "kind"], name="one_report_of_each_kind")]

    def __str__(self):
        return f"{self.inspection} · {self.get_kind_display()}"


class Supervision(models.Model):
    """督办: the office pressing an organisation (or one task) on its rectification."""

    body = models.ForeignKey(
        "orgs.InspectionBody", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="supervisions"
    )
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="supervisions"
    )
    inspection = optional_link("inspections.Inspection", _("巡视巡察"), "supervisions")
    task = optional_link(RectificationTask, _("整改任务"), "supervisions")
    method = models.CharField(_("督办方式"), max_length=16, choices=SupervisionMethod.choices)
    held_on = models.DateField(_("督办日期"))
    content = models.TextField(_("督办内容"))
    result = models.TextField(_("督办结果"), blank=True)
    recorded_by = user_field(_("登记人"))

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.organization} · {self.get_method_display()} {self.held_on:%Y-%m-%d}"


class Evaluation(models.Model):
    """整改评估: indicator scores out of 100 and a grade; a poor grade puts the organisation on the
    look-back list and proposes an interview of its top leader (``interview`` once held)."""

    body = models.ForeignKey(
        "orgs.InspectionBody", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="evaluations"
    )
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="evaluations"
    )
    term = models.ForeignKey("orgs.Term", verbose_name=_("届次"), on_delete=models.PROTECT, related_name="+")
    evaluated_on = models.DateField(_("评估日期"))
    scores = models.JSONField(_("指标得分"), default=dict)
    total = models.PositiveSmallIntegerField(_("总分"))
    grade = models.CharField(_("等次"), max_length=12, choices=Grade.choices)
    notes = models.TextField(_("评估意见"), blank=True)
    interview = models.ForeignKey(
        Interview,
        verbose_name=_("约谈"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evaluations",
    )
    recorded_by = user_field(_("登记人"))

    class Meta:
        verbose_name = _("整改评估")
        verbose_name_plural = _("整改评估")
        ordering = ["-evaluated_on", "-pk"]

    def __str__(self):
        return f"{self.organization} · {self.total} {self.get_grade_display()}"

    @property
    def on_look_back_list(self) -> bool:
        return self.grade == Grade.POOR


class Disclosure(models.Model):
    """双公开: what the committee chose to disclose of one inspection's rectification, inside the
    party or to the public — its own text, optionally the rates and the summaries of chosen problems;
    never clues, petitions or names it did not write."""

    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("巡视巡察"),
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    audience = models.CharField(_("公开范围"), max_length=12, choices=Audience.choices)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("公开内容"))
    show_rates = models.BooleanField(_("公开整改率"), default=True)
    problems = models.ManyToManyField(
        "findings.Problem", verbose_name=_("公开的问题"), blank=True, related_name="disclosures"
    )
    published_on = models.DateField(_("公开日期"))
    published_by = user_field(_("发布人"))
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("整改公开")
        verbose_name_plural = _("整改公开")
        ordering = ["-published_on", "-pk"]

    def __str__(self):
        return self.title


class Instruction(models.Model):
    """A leader's written instruction (批示) on a problem, a clue or a petition, followed up until closed."""

    problem = optional_link("findings.Problem", _("问题"), "instructions", on_delete=models.CASCADE)
    clue = optional_link("findings.Clue", _("线索"), "instructions", on_delete=models.CASCADE)
    petition = optional_link("petitions.Petition", _("信访件"), "instructions", on_delete=models.CASCADE)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("批示领导"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("批示内容"))
    given_on = models.DateField(_("批示日期"))
    # Who must carry it out and by when (instructions recorded before these existed have neither).
    addressee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField(_("落实期限"), null=True, blank=True)
    escalated_on = models.DateField(_("超期督办日期"), null=True, blank=True)
    follow_up_asked = models.TextField(_("落实要求"), blank=True)
    follow_up_given = models.TextField(_("落实情况"), blank=True)
    answered_by = user_field(_("报送人"), blank=True)
    answered_on = models.DateField(_("报送日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=InstructionStatus.choices, default=InstructionStatus.OPEN
    )

    class Meta:
        verbose_name = _("批示")
        verbose_name_plural = _("批示")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(problem__isnull=False, clue__isnull=True, petition__isnull=True)
                | Q(problem__isnull=True, clue__isnull=False, petition__isnull=True)
                | Q(problem__isnull=True, clue__isnull=True, petition__isnull=False),
                name="instruction_on_one_record",
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=models.F("given_on")),
                name="instruction_deadline_after_given",
                violation_error_message=_("落实期限不能早于批示日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.leader} {self.given_on:%Y-%m-%d}"

    @property
    def subject(self):
        return self.problem or self.clue or self.petition

    def overdue_on(self, day) -> bool:
        """Not yet answered and past its deadline on ``day``."""
        return self.status == InstructionStatus.OPEN and self.deadline is not None and self.deadline < day

    @property
    def overdue(self) -> bool:
        return self.overdue_on(timezone.localdate())
