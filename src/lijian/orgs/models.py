"""The organisation tree, the inspection bodies that cover it and their terms."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from lijian.core.paths import PATH_STEP

from .choices import BodyLevel, OrgKind
from .fields import ByteOrderCharField
from .validators import check_active_dates, check_term_dates

# Codes travel through spreadsheets and command lines: no white space anywhere in them.
code_validator = RegexValidator(r"^\S+$", _("代码不能含空格。"))
MAX_POSTS = 10_000


class Organization(MP_Node):
    """A party organisation, placed in a materialised-path tree.

    ``path`` is the concatenation of one 4-character step per level from the root, so the subtree of
    a node is the index range ``[path, path + "~")``, its ancestors are the prefixes of its path and
    its children are the rows at ``depth + 1`` inside that range; none needs recursion.
    """

    steplen = PATH_STEP
    # Unique through unique indexes (expression constraints, not ``unique=True`` which SQLite writes
    # into the table definition) so that a bulk load can drop them and build them once at the end.
    path = ByteOrderCharField(max_length=255)

    code = ByteOrderCharField(_("组织代码"), max_length=40, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("组织类别"), max_length=32, choices=OrgKind.choices)
    division_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    active_from = models.DateField(_("设立日期"), null=True, blank=True)
    active_to = models.DateField(_("撤销日期"), null=True, blank=True)
    supervising_body = models.ForeignKey(
        "InspectionBody",
        verbose_name=_("巡视巡察机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jurisdiction",
        help_text=_("负责对本组织开展巡视或巡察的机构。"),
    )

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        indexes = [models.Index(fields=["depth", "path"], name="org_children_idx")]
        constraints = [
            models.UniqueConstraint(F("path"), name="org_path_unique"),
            models.UniqueConstraint(
                F("code"),
                name="org_code_unique",
                violation_error_code="code_taken",
                violation_error_message=_("这个组织代码已被其他组织使用。"),
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=F("active_from")),
                name="org_active_dates_ordered",
                violation_error_message=_("撤销日期不能早于设立日期。"),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:detail", kwargs={"pk": self.pk})

    def clean(self):
        check_active_dates(self.active_from, self.active_to)  # organizations.csv's rule too

    def validate_constraints(self, exclude=None):
        """As Django's, but a taken code is reported on the code field, where forms show it."""
        try:
            super().validate_constraints(exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            general = errors.pop("__all__", [])
            for error in general:
                errors.setdefault("code" if error.code == "code_taken" else "__all__", []).append(error)
            raise ValidationError(errors) from None

    def is_active_on(self, day: datetime.date) -> bool:
        return (self.active_from is None or self.active_from <= day) and (
            self.active_to is None or day <= self.active_to
        )

    @property
    def parent_path(self) -> str:
        return self.path[:-PATH_STEP]

    def ancestor_paths(self) -> list[str]:
        """The paths of the ancestors, root first (not including this node)."""
        return [self.path[:i] for i in range(PATH_STEP, len(self.path), PATH_STEP)]


class InspectionBody(models.Model):
    """An inspection office (巡视机构) or patrol office (巡察机构) of the committee that owns it."""

    code = models.CharField(
        _("机构代码"),
        max_length=40,
        unique=True,
        validators=[code_validator],
        error_messages={"unique": _("这个机构代码已被其他机构使用。")},
    )
    name = models.CharField(_("名称"), max_length=200)
    level = models.CharField(_("类别"), max_length=16, choices=BodyLevel.choices)
    owner_org = models.ForeignKey(
        Organization, verbose_name=_("所属党委（党组）"), on_delete=models.PROTECT, related_name="bodies"
    )
    authorized_posts = models.PositiveIntegerField(
        _("编制数"), default=0, validators=[MaxValueValidator(MAX_POSTS)]
    )
    rectification_threshold = models.PositiveSmallIntegerField(
        _("整改落实到位率警戒线（%）"),
        default=70,
        validators=[MaxValueValidator(100)],
        help_text=_("被巡视巡察党组织的整改落实到位率低于此值时，须向党委作出深刻检查。"),
    )

    class Meta:
        verbose_name = _("巡视巡察机构")
        verbose_name_plural = _("巡视巡察机构")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:body_detail", kwargs={"pk": self.pk})


class Term(models.Model):
    """A term (届) of the committee owning ``body``; full coverage is judged per term."""

    body = models.ForeignKey(
        InspectionBody, verbose_name=_("机构"), on_delete=models.CASCADE, related_name="terms"
    )
    name = models.CharField(_("届次"), max_length=60)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))

    class Meta:
        verbose_name = _("届次")
        verbose_name_plural = _("届次")
        ordering = ["body", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "name"],
                name="term_name_unique_per_body",
                violation_error_message=_("该机构已有同名的届次。"),
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="term_end_after_start",
                violation_error_message=_("结束日期应晚于开始日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.body.name} {self.name}"

    def clean(self):
        # The rule of terms.csv too (``validators.check_term_dates``); the constraint keeps the table
        # right and is skipped by ``full_clean`` once this has reported the end.
        if self.start is not None and self.end is not None:
            check_term_dates(self.start, self.end)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end
