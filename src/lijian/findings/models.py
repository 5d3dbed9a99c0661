"""Problems found, their taxonomy, and clues handed to partner departments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (
    ClueResult,
    ClueStatus,
    DepartmentKind,
    FrameworkLevel,
    ProblemStatus,
    Review,
)


class Framework(models.Model):
    """One version of a problem taxonomy (四个落实, 四聚焦 …), valid for a date range.

    A problem keeps the category it was filed under; a framework that problems use is frozen, and
    a change means a new version (``framework_new_version``)."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    level = models.CharField(_("适用"), max_length=12, choices=FrameworkLevel.choices)
    valid_from = models.DateField(_("启用日期"))
    valid_to = models.DateField(_("停用日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("问题分类体系")
        verbose_name_plural = _("问题分类体系")
        ordering = ["level", "-valid_from"]

    def __str__(self):
        until = self.valid_to.isoformat() if self.valid_to else _("至今")
        return f"{self.name}（{self.get_level_display()}，{self.valid_from:%Y-%m-%d}—{until}）"

    def valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def clean(self):
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("停用日期不能早于启用日期。")})


class Category(models.Model):
    """A node of a framework: category → subcategory → specific problem."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("分类体系"), on_delete=models.CASCADE, related_name="categories"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField(_("编号"), max_length=20)  # "1", "1.2", "1.2.3"
    name = models.CharField(_("名称"), max_length=120)

    class Meta:
        verbose_name = _("问题分类")
        verbose_name_plural = _("问题分类")
        ordering = ["framework", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="category_code_unique",
                violation_error_message=_("本分类体系已有这个编号。"),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def top(self) -> "Category":
        node = self
        while node.parent_id:
            node = node.parent
        return node


class Department(models.Model):
    """A receiving department of "1+3+N" (纪委监委, 组织部, 审计 …) of one committee; its staff
    (accounts with the department role) see and answer only the clues transferred to it."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类别"), max_length=20, choices=DepartmentKind.choices)
    committee = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属党委"), on_delete=models.PROTECT, related_name="departments"
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人员"), blank=True, related_name="departments"
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("协作部门")
        verbose_name_plural = _("协作部门")
        ordering = ["committee", "order", "code"]

    def __str__(self):
        return self.name


class Problem(models.Model):
    """A problem a group found on one inspection (问题台账 row)."""

    ref = models.CharField(_("问题编号"), max_length=40, unique=True)
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("巡视巡察"),
        on_delete=models.PROTECT,
        related_name="problems",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("问题类别"), on_delete=models.PROTECT, related_name="problems"
    )
    summary = models.CharField(_("问题概述"), max_length=200)
    description = models.TextField(_("具体表现"), blank=True)
    people = models.TextField(_("人（责任主体）"), blank=True)
    matters = models.TextField(_("事（具体事项）"), blank=True)
    causes = models.TextField(_("因（深层原因）"), blank=True)
    systems = models.TextField(_("制（制度漏洞）"), blank=True)
    close_attention = models.BooleanField(_("重点关注"), default=False)
    rectify_at_once = models.BooleanField(_("立行立改"), default=False)
    found_on = models.DateField(_("发现日期"))
    review = models.CharField(_("审定"), max_length=10, choices=Review.choices, default=Review.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    status = models.CharField(
        _("整改状态"), max_length=24, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        ordering = ["-found_on", "-id"]
        indexes = [
            models.Index(fields=["inspection", "found_on"], name="problem_inspection_found_idx"),
            models.Index(fields=["category"], name="problem_category_idx"),
            # The ledger's keyset order: a page reads 51 rows off the index instead of sorting the table.
            models.Index(fields=["-found_on", "-id"], name="problem_found_on_id_idx"),
        ]

    def __str__(self):
        return f"{self.ref} {self.summary}"

    def get_absolute_url(self) -> str:
        return reverse("findings:problem", kwargs={"pk": self.pk})


class Clue(models.Model):
    """A lead about a person (问题线索), transferred to a department and tracked to its answer."""

    ref = models.CharField(_("线索编号"), max_length=40, unique=True)
    inspection = models.ForeignKey(
        "inspections.Inspection", verbose_name=_("巡视巡察"), on_delete=models.PROTECT, related_name="clues"
    )
    problem = models.ForeignKey(
        Problem,
        verbose_name=_("相关问题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
    )
    subject_name = models.CharField(_("反映对象"), max_length=60)
    subject_post = models.CharField(_("职务"), max_length=120, blank=True)
    summary = models.TextField(_("主要问题"))
    department = models.ForeignKey(
        Department, verbose_name=_("移交部门"), on_delete=models.PROTECT, related_name="clues"
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ClueStatus.choices, default=ClueStatus.RECORDED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    sheet_no = models.CharField(_("交接单编号"), max_length=40, blank=True)
    transferred_on = models.DateField(_("移交日期"), null=True, blank=True)
    due_on = models.DateField(_("反馈期限"), null=True, blank=True)
    accepted_on = models.DateField(_("接收日期"), null=True, blank=True)
    fed_back_on = models.DateField(_("反馈日期"), null=True, blank=True)
    result = models.CharField(_("办理方式"), max_length=30, choices=ClueResult.choices, blank=True)
    feedback = models.TextField(_("办理情况"), blank=True)
    party_discipline = models.PositiveIntegerField(_("党纪政务处分（人）"), default=0)
    organisational_handling = models.PositiveIntegerField(_("组织处理（人）"), default=0)
    judicial_transfers = models.PositiveIntegerField(_("移送司法机关（人）"), default=0)
    losses_recovered = models.DecimalField(
        _("挽回经济损失（万元）"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MaxValueValidator(10**9)],
    )
    escalated_on = models.DateField(_("超期督办日期"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("问题线索")
        verbose_name_plural = _("问题线索")
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["department", "status"], name="clue_department_status_idx"),
            # The clue list's keyset order (see Problem).
            models.Index(fields=["-recorded_at", "-id"], name="clue_recorded_at_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=models.F("transferred_on")),
                name="clue_due_after_transfer",
                violation_error_message=_("反馈期限不能早于移交日期。"),
            )
        ]

    def __str__(self):
        return f"{self.ref} {self.subject_name}"

    def get_absolute_url(self) -> str:
        return reverse("findings:clue", kwargs={"pk": self.pk})

    def overdue_on(self, day) -> bool:
        """Transferred, not answered, and past its deadline on ``day``."""
        return (
            self.status in (ClueStatus.TRANSFERRED, ClueStatus.HANDLING)
            and self.due_on is not None
            and self.due_on < day
        )
