"""The talent pool (巡视巡察人才库): cadres who can be drawn into groups, and what they must stay away from."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lijian.orgs.models import code_validator

from .choices import RANK_LEVEL, AbsenceKind, ConflictKind, Gender, Rank
from .validators import check_period


class Skill(models.Model):
    """A professional strength (纪检、审计、财务、法律……), editable reference data."""

    code = models.CharField(_("代码"), max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("专长")
        verbose_name_plural = _("专长")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Cadre(models.Model):
    """A person in the talent pool. Whose pool: every body whose committee's subtree holds the home unit."""

    cadre_id = models.CharField(
        _("人员编号"),
        max_length=40,
        unique=True,
        validators=[code_validator],
        error_messages={"unique": _("这个人员编号已被使用。")},
    )
    name = models.CharField(_("姓名"), max_length=60)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(
        _("出生年份"), validators=[MinValueValidator(1940), MaxValueValidator(2010)]
    )
    home_org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="cadres"
    )
    rank = models.CharField(_("职级"), max_length=20, choices=Rank.choices)
    skills = models.ManyToManyField(Skill, verbose_name=_("专长"), blank=True, related_name="cadres")
    in_pool = models.BooleanField(_("在库"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cadre",
    )

    class Meta:
        verbose_name = _("人才库人员")
        verbose_name_plural = _("人才库人员")
        ordering = ["cadre_id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:cadre", kwargs={"pk": self.pk})

    @property
    def rank_level(self) -> int:
        return RANK_LEVEL[self.rank]


class Conflict(models.Model):
    """A declared reason the cadre must not inspect ``organization`` (its subtree and the units above
    it included). A former post counts for the years the body's rules set after ``end``."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="conflicts"
    )
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("回避单位"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("回避事由"), max_length=20, choices=ConflictKind.choices)
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    start = models.DateField(_("起始日期"), null=True, blank=True)
    end = models.DateField(_("终止日期"), null=True, blank=True)
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("回避事项")
        verbose_name_plural = _("回避事项")
        ordering = ["cadre", "organization"]

    def __str__(self):
        return f"{self.cadre} · {self.organization} · {self.get_kind_display()}"

    def clean(self):
        check_period(self.start, self.end)


class Absence(models.Model):
    """A period the cadre cannot serve in a group (training, leave, secondment …): the optimiser, a
    hand edit and the ledger import all keep them out of rounds whose dates overlap it."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="absences"
    )
    kind = models.CharField(_("事由"), max_length=20, choices=AbsenceKind.choices)
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("终止日期"))
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("不能参加编组的期间")
        verbose_name_plural = _("不能参加编组的期间")
        ordering = ["cadre", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="absence_dates_ordered",
                violation_error_message=_("终止日期不能早于起始日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.get_kind_display()} {self.start:%Y-%m-%d}至{self.end:%Y-%m-%d}"

    def clean(self):
        check_period(self.start, self.end)


class SupervisionLine(models.Model):
    """A line of supervision outside the tree's parent-child line (政法委 over the courts, 组织部 over
    the units it manages, 审计局 over the units it audited): cadres of either side never inspect the
    other side, as with their own unit. Editable reference data."""

    supervisor = models.ForeignKey(
        "orgs.Organization", verbose_name=_("监督单位"), on_delete=models.CASCADE, related_name="+"
    )
    supervised = models.ForeignKey(
        "orgs.Organization", verbose_name=_("被监督单位"), on_delete=models.CASCADE, related_name="+"
    )
    description = models.CharField(_("关系说明"), max_length=100, blank=True)
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("监督关系")
        verbose_name_plural = _("监督关系")
        ordering = ["supervisor", "supervised"]
        constraints = [
            models.UniqueConstraint(
                fields=["supervisor", "supervised"],
                name="supervision_line_unique",
                violation_error_message=_("这条监督关系已经登记过。"),
            ),
        ]

    def __str__(self):
        return f"{self.supervisor} → {self.supervised}"

    def clean(self):
        if self.supervisor_id and self.supervisor_id == self.supervised_id:
            raise ValidationError({"supervised": _("监督单位和被监督单位不能是同一个。")})
