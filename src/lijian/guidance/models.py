"""Guidance of lower bodies' patrol work: the review of district secretaries' special-meeting
materials (M16), self-inspection (M7) and the yearly assessment with its naming candidates (M17, M18).

Each record hangs on the guiding body (``body``): its office writes it, and the offices above see it."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lijian.core.fields import user_field
from lijian.orgs.choices import OrgKind

from .choices import (
    SEEDED_INDICATOR_NAMES,
    AssessmentStatus,
    CandidateStatus,
    FigureKey,
    IndicatorKind,
    InspectionScope,
    NamingWho,
    ReviewStatus,
    RoundOutcome,
    SelfInspectionStatus,
)
from .validators import check_indicator


def _body(related_name: str, verbose_name) -> models.ForeignKey:
    return models.ForeignKey(
        "orgs.InspectionBody", verbose_name=verbose_name, on_delete=models.PROTECT, related_name=related_name
    )


class MaterialReview(models.Model):
    """审阅区委书记专题会听取巡察情况汇报材料: one meeting's material, reviewed in rounds until accepted."""

    body = _body("material_reviews", _("审阅机构"))
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("报送党委"),
        on_delete=models.PROTECT,
        related_name="material_reviews",
    )
    secretary_name = models.CharField(_("书记姓名"), max_length=60)
    secretary_post = models.CharField(_("书记职务"), max_length=120, blank=True)
    meeting_on = models.DateField(_("专题会日期"))
    meeting_title = models.CharField(_("专题会名称"), max_length=200)
    received_on = models.DateField(_("收到材料日期"))
    reviewer = user_field(_("审阅人"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.RECEIVED
    )
    opinions = models.TextField(_("审阅意见"), max_length=5000, blank=True)  # of the latest round
    accepted_on = models.DateField(_("通过日期"), null=True, blank=True)
    recorded_by = user_field(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("专题会材料审阅")
        verbose_name_plural = _("专题会材料审阅")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "organization", "meeting_on"],
                name="material_review_one_per_meeting",
                violation_error_message=_("该党委这一天的专题会材料已登记。"),
            )
        ]

    def __str__(self):
        return f"{self.organization.name} · {self.meeting_title}"

    def get_absolute_url(self) -> str:
        return reverse("guidance:review", kwargs={"pk": self.pk})


class ReviewRound(models.Model):
    """One round of review of a material: who reviewed it from when, the opinions and how it ended."""

    review = models.ForeignKey(MaterialReview, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("轮次"))
    reviewer = user_field(_("审阅人"))
    started_on = models.DateField(_("开始审阅日期"))
    opinions = models.TextField(_("审阅意见"), max_length=5000, blank=True)
    outcome = models.CharField(_("结果"), max_length=12, choices=RoundOutcome.choices, blank=True)
    decided_on = models.DateField(_("办理日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("审阅轮次")
        verbose_name_plural = _("审阅轮次")
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="review_round_number_unique")
        ]

    def __str__(self):
        return f"{self.review} · {self.number}"


class SelfInspection(models.Model):
    """自查: a body's review of its own patrol work or of its lower bodies', item by item."""

    body = _body("self_inspections", _("自查机构"))
    title = models.CharField(_("名称"), max_length=200)
    scope = models.CharField(_("自查范围"), max_length=8, choices=InspectionScope.choices)
    period_start = models.DateField(_("自查期间起"))
    period_end = models.DateField(_("自查期间止"))
    summary = models.TextField(_("自查总结"), max_length=5000, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=SelfInspectionStatus.choices, default=SelfInspectionStatus.OPEN
    )
    closed_on = models.DateField(_("完成日期"), null=True, blank=True)
    recorded_by = user_field(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("自查")
        verbose_name_plural = _("自查")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "title"],
                name="self_inspection_title_unique",
                violation_error_message=_("本机构已有同名的自查。"),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("guidance:self_inspection", kwargs={"pk": self.pk})


class SelfInspectionItem(models.Model):
    """One thing checked: what was found, whether it is a problem, and its fix."""

    inspection = models.ForeignKey(SelfInspection, on_delete=models.CASCADE, related_name="items")
    item = models.CharField(_("自查事项"), max_length=200)
    finding = models.TextField(_("自查情况"), max_length=5000, blank=True)
    problem_found = models.BooleanField(_("发现问题"), default=False)
    fix = models.TextField(_("整改措施"), max_length=5000, blank=True)
    fixed_on = models.DateField(_("整改完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("自查事项")
        verbose_name_plural = _("自查事项")
        ordering = ["inspection", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item"],
                name="self_inspection_item_unique",
                violation_error_message=_("本次自查已有这一事项。"),
            )
        ]

    def __str__(self):
        return self.item


class AssessmentIndicator(models.Model):
    """考核指标 (reference data): a weight in points; a figure indicator scores weight × its figure."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    weight = models.PositiveSmallIntegerField(_("分值"))
    kind = models.CharField(_("类别"), max_length=12, choices=IndicatorKind.choices)
    figure_key = models.CharField(_("数据来源"), max_length=40, choices=FigureKey.choices, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        """The name to show: translated while it is still the seeded one, as typed once changed."""
        return gettext(self.name) if self.name in SEEDED_INDICATOR_NAMES else self.name

    def clean(self):
        # the reference-data page saves through a model form: the rule holds there as in the ledger
        check_indicator(self.kind, self.figure_key, self.weight)


class Assessment(models.Model):
    """考核评价: one body's yearly assessment of its lower bodies' patrol work."""

    body = _body("assessments", _("考核机构"))
    year = models.PositiveSmallIntegerField(_("年度"))
    committee_kind = models.CharField(
        _("被考核党委类别"),
        max_length=32,
        choices=OrgKind.choices,
        blank=True,
        help_text=_("只考核这一类党委（如区委）的巡察机构；不选则考核全部下级巡察机构。"),
    )
    naming_count = models.PositiveSmallIntegerField(
        _("排名靠后拟通报数"), default=3, help_text=_("排名最后的几个机构列为拟通报对象。")
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    recorded_by = user_field(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year"],
                name="assessment_one_per_year",
                violation_error_message=_("本机构这一年度的考核已登记。"),
            )
        ]

    def __str__(self):
        return _("%(body)s %(year)s年度巡察工作考核") % {"body": self.body.name, "year": self.year}

    def get_absolute_url(self) -> str:
        return reverse("guidance:assessment", kwargs={"pk": self.pk})


class AssessmentScore(models.Model):
    """The score of one assessed body on one indicator: computed from its figure, or given by hand."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    assessed_body = _body("assessment_scores", _("被考核机构"))
    indicator = models.ForeignKey(
        AssessmentIndicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="scores"
    )
    value = models.DecimalField(_("数据值"), max_digits=7, decimal_places=4, null=True, blank=True)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)
    computed = models.BooleanField(_("按数据计算"), default=False)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("考核得分")
        verbose_name_plural = _("考核得分")
        ordering = ["assessment", "assessed_body", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "assessed_body", "indicator"], name="assessment_score_unique"
            )
        ]

    def __str__(self):
        return f"{self.assessed_body} · {self.indicator} · {self.score}"


class NamingCandidate(models.Model):
    """拟通报对象: a body ranked low (or a person answerable for it), proposed to be named."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="candidates")
    assessed_body = _body("naming_candidates", _("被考核机构"))
    who = models.CharField(_("通报对象类别"), max_length=24, choices=NamingWho.choices)
    person_name = models.CharField(_("名称或姓名"), max_length=200)
    reason = models.CharField(_("通报事由"), max_length=500)
    status = models.CharField(
        _("状态"), max_length=12, choices=CandidateStatus.choices, default=CandidateStatus.PROPOSED
    )
    decided_by = user_field(_("决定人"), blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("拟通报对象")
        verbose_name_plural = _("拟通报对象")
        ordering = ["assessment", "who", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "who", "person_name"],
                name="naming_candidate_unique",
                violation_error_message=_("该对象已列入本次考核的拟通报名单。"),
            )
        ]

    def __str__(self):
        return f"{self.get_who_display()} {self.person_name}"
