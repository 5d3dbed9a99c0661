"""Rounds, groups and inspections: who inspects whom, when, and how far each inspection has come."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lijian.core.fields import optional_link, user_field
from lijian.people.choices import Rank

from .choices import MemberRole, PlanStatus, RoundKind, Stage
from .validators import check_relay_upper, check_upper_round_body


class LinkageMode(models.Model):
    """上下联动 modes (统配巡, 同步巡, 协作巡, 接力巡): editable reference data."""

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=20)
    definition = models.TextField(_("含义"), blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("上下联动方式")
        verbose_name_plural = _("上下联动方式")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class FieldworkMethod(models.Model):
    """了解情况方式 (hearing reports, individual talks …): editable reference data."""

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("了解情况方式")
        verbose_name_plural = _("了解情况方式")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class StaffingRules(models.Model):
    """How a body staffs its groups; a body without its own rules uses ``StaffingRules.defaults``."""

    body = models.OneToOneField(
        "orgs.InspectionBody", verbose_name=_("机构"), on_delete=models.CASCADE, related_name="staffing_rules"
    )
    size_min = models.PositiveSmallIntegerField(_("每组最少人数"), default=5)
    size_max = models.PositiveSmallIntegerField(_("每组最多人数"), default=7)
    max_targets = models.PositiveSmallIntegerField(
        _("每组最多对象数"), default=3, validators=[MinValueValidator(1)]
    )
    leader_min_rank = models.CharField(
        _("组长最低职级"), max_length=20, choices=Rank.choices, default=Rank.DIVISION
    )
    deputy_count = models.PositiveSmallIntegerField(
        _("每组副组长人数"), default=1, validators=[MaxValueValidator(3)]
    )
    deputy_min_rank = models.CharField(
        _("副组长最低职级"), max_length=20, choices=Rank.choices, default=Rank.DEPUTY_DIVISION
    )
    required_skills = models.ManyToManyField(
        "people.Skill", verbose_name=_("每组必备专长（任一）"), blank=True, related_name="+"
    )
    required_skill_count = models.PositiveSmallIntegerField(_("具备必备专长的最少人数"), default=1)
    min_units = models.PositiveSmallIntegerField(_("成员最少来自几个单位"), default=2)
    young_max_age = models.PositiveSmallIntegerField(_("年轻干部年龄上限"), default=40)
    lookback_rounds = models.PositiveSmallIntegerField(
        _("回看轮数"), default=2, help_text=_("近几轮巡视过某单位的人员回避该单位；轮换也按这几轮计算。")
    )
    former_post_years = models.PositiveSmallIntegerField(_("曾任职回避年限"), default=5)

    class Meta:
        verbose_name = _("编组规则")
        verbose_name_plural = _("编组规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(size_max__gte=F("size_min")),
                name="rules_size_ordered",
                violation_error_message=_("每组最多人数不能少于最少人数。"),
            ),
        ]

    def __str__(self):
        return str(self.body)


class Group(models.Model):
    """A standing inspection or patrol group of a body (第N巡视组 / 第N巡察组) and its own staff."""

    body = models.ForeignKey(
        "orgs.InspectionBody", verbose_name=_("机构"), on_delete=models.CASCADE, related_name="groups"
    )
    number = models.PositiveIntegerField(_("组号"))
    name = models.CharField(_("名称"), max_length=60)
    active = models.BooleanField(_("在编"), default=True)
    core_staff = models.ManyToManyField(
        "people.Cadre", verbose_name=_("在编人员"), blank=True, related_name="core_groups"
    )

    class Meta:
        verbose_name = _("巡视巡察组")
        verbose_name_plural = _("巡视巡察组")
        ordering = ["body", "number"]
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="group_number_unique_per_body")
        ]

    def __str__(self):
        return self.name


class Round(models.Model):
    """第N轮: one inspection round of a body in a term."""

    body = models.ForeignKey(
        "orgs.InspectionBody", verbose_name=_("机构"), on_delete=models.CASCADE, related_name="rounds"
    )
    term = models.ForeignKey(
        "orgs.Term", verbose_name=_("届次"), on_delete=models.PROTECT, related_name="rounds"
    )
    number = models.PositiveIntegerField(_("轮次"))
    kind = models.CharField(_("类型"), max_length=20, choices=RoundKind.choices, default=RoundKind.REGULAR)
    linkage_mode = optional_link(LinkageMode, _("联动方式"), "rounds")
    upper_round = optional_link("self", _("联动的上级轮次"), "linked_rounds")
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    theme = models.CharField(_("主题"), max_length=200, blank=True)
    groups = models.ManyToManyField(Group, verbose_name=_("参加的组"), blank=True, related_name="rounds")
    staffed_at = models.DateTimeField(_("编组确认时间"), null=True, blank=True)
    clue_feedback_months = models.PositiveSmallIntegerField(
        _("线索办理反馈期限（月）"), default=3, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    rectification_report_months = models.PositiveSmallIntegerField(
        _("整改报告期限（月）"), default=2, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )

    class Meta:
        verbose_name = _("轮次")
        verbose_name_plural = _("轮次")
        ordering = ["body", "term", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "term", "number"],
                name="round_number_unique",
                violation_error_message=_("本届已有这一轮。"),
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="round_dates_ordered",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
        ]

    def __str__(self):
        # translated each time it is called, so it speaks the reader's language
        return f"{self.body.name} {self.term.name} {gettext('第%(n)s轮') % {'n': self.number}}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:round", kwargs={"pk": self.pk})

    @property
    def ledger_key(self) -> str:
        """``body_code:term:number``, how the ledger bundle names a round."""
        return f"{self.body.code}:{self.term.name}:{self.number}"

    def clean(self):
        if self.term_id and self.body_id and self.term.body_id != self.body_id:
            raise ValidationError({"term": _("届次不属于该机构。")})
        check_relay_upper(self.linkage_mode.code if self.linkage_mode_id else None, bool(self.upper_round_id))
        if self.upper_round_id:
            check_upper_round_body(self.body_id, self.upper_round.body_id)


class RoundMember(models.Model):
    """A cadre's place in a group for one round (the leader is authorised for this task only)."""

    round = models.ForeignKey(Round, verbose_name=_("轮次"), on_delete=models.CASCADE, related_name="members")
    group = models.ForeignKey(Group, verbose_name=_("组"), on_delete=models.PROTECT, related_name="members")
    cadre = models.ForeignKey(
        "people.Cadre", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="rounds_served"
    )
    role = models.CharField(
        _("组内职务"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    reasons = models.JSONField(_("入选理由"), default=list, blank=True)

    class Meta:
        verbose_name = _("编组成员")
        verbose_name_plural = _("编组成员")
        ordering = ["round", "group", "role", "cadre"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "cadre"],
                name="one_group_per_cadre_per_round",
                violation_error_message=_("该人员本轮已在其他组。"),
            )
        ]

    def __str__(self):
        return f"{self.group} · {self.cadre} · {self.get_role_display()}"


class Inspection(models.Model):
    """One group inspecting one organisation in one round: the central record."""

    round = models.ForeignKey(
        Round, verbose_name=_("轮次"), on_delete=models.CASCADE, related_name="inspections"
    )
    group = optional_link(Group, _("组"), "inspections")
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("被巡视巡察党组织"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.PLANNED)
    onsite_start = models.DateField(_("进驻日期"), null=True, blank=True)
    onsite_end = models.DateField(_("撤离日期"), null=True, blank=True)
    report_date = models.DateField(_("报告日期"), null=True, blank=True)
    feedback_date = models.DateField(_("反馈日期"), null=True, blank=True)
    stage_changed_at = models.DateTimeField(_("阶段变更时间"), default=timezone.now)

    class Meta:
        verbose_name = _("巡视巡察")
        verbose_name_plural = _("巡视巡察")
        ordering = ["round", "group", "organization"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organization"],
                name="inspection_unique_per_round",
                violation_error_message=_("本轮已安排巡视巡察该组织。"),
            )
        ]
        indexes = [models.Index(fields=["organization", "onsite_start"], name="inspection_org_onsite_idx")]

    def __str__(self):
        return f"{self.round} · {self.organization}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:inspection", kwargs={"pk": self.pk})


class Activity(models.Model):
    """Fieldwork (了解情况) of an inspection by one method: how many, when, notes."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("巡视巡察"), on_delete=models.CASCADE, related_name="activities"
    )
    method = models.ForeignKey(
        FieldworkMethod, verbose_name=_("方式"), on_delete=models.PROTECT, related_name="activities"
    )
    date = models.DateField(_("日期"))
    count = models.PositiveIntegerField(_("数量"), default=1, validators=[MaxValueValidator(100_000)])
    notes = models.TextField(_("情况记录"), blank=True)
    recorded_by = user_field(_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("了解情况记录")
        verbose_name_plural = _("了解情况记录")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.method} × {self.count}"


class OrgRisk(models.Model):
    """A manual risk score (0–100) used to order the term plan until petitions and problems exist."""

    organization = models.OneToOneField(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.CASCADE, related_name="risk"
    )
    score = models.PositiveSmallIntegerField(_("风险分"), default=50, validators=[MaxValueValidator(100)])
    note = models.CharField(_("依据"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("风险评分")
        verbose_name_plural = _("风险评分")

    def __str__(self):
        return f"{self.organization} · {self.score}"


class PlanRun(models.Model):
    """One run of the optimiser for a round: its progress while it runs and the proposal it made."""

    round = models.ForeignKey(
        Round, verbose_name=_("轮次"), on_delete=models.CASCADE, related_name="plan_runs"
    )
    status = models.CharField(_("状态"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.QUEUED)
    created_by = user_field(_("提交人"))
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    time_limit = models.PositiveSmallIntegerField(_("求解时限（秒）"), default=20)
    seconds = models.FloatField(_("用时（秒）"), default=0)
    solutions = models.JSONField(_("求解过程"), default=list, blank=True)  # [objective, bound, seconds]
    proposal = models.JSONField(_("方案"), null=True, blank=True)
    problems = models.JSONField(_("不可行原因"), default=list, blank=True)

    class Meta:
        verbose_name = _("编组求解")
        verbose_name_plural = _("编组求解")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.round} · {self.get_status_display()}"

    @property
    def finished(self) -> bool:
        return self.status not in (PlanStatus.QUEUED, PlanStatus.RUNNING)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        if not self.solutions or not self.time_limit:
            return 5
        return min(95, int(self.solutions[-1][2] * 100 / self.time_limit))
