"""Petitions (信访件) received by a body or filed by the public, with the informant protected."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Channel, PetitionStatus, Route


class Petition(models.Model):
    """A letter, visit, call or online report; the petitioner may stay anonymous.

    The identity is never stored in the clear (``identity``: SM4-GCM, see ``petitions.identity``)
    and never leaves through the ledger, the API or a list; a receipt code given to a member of the
    public is kept only as its SHA-256 hash."""

    ref = models.CharField(_("信访件编号"), max_length=40, unique=True)
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("受理日期"))
    body = models.ForeignKey(
        "orgs.InspectionBody", verbose_name=_("受理机构"), on_delete=models.PROTECT, related_name="petitions"
    )
    group = models.ForeignKey(
        "inspections.Group",
        verbose_name=_("受理的组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions_received",
    )
    joint_body = models.ForeignKey(
        "orgs.InspectionBody",
        verbose_name=_("联合接待的巡察机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="joint_petitions",
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("所涉巡视巡察"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    subject_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("反映的党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    category = models.CharField(_("问题类别"), max_length=60, blank=True)
    summary = models.TextField(_("反映内容"))
    anonymous = models.BooleanField(_("匿名"), default=True)
    identity = models.BinaryField(_("反映人身份（加密）"), null=True, blank=True, editable=False)
    receipt_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=PetitionStatus.choices, default=PetitionStatus.RECEIVED
    )
    route = models.CharField(_("转办方式"), max_length=12, choices=Route.choices, blank=True)
    routed_inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("转办的巡视巡察"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions_routed",
    )
    clue = models.OneToOneField(
        "findings.Clue",
        verbose_name=_("形成的问题线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petition",
    )
    routed_on = models.DateField(_("转办日期"), null=True, blank=True)
    answer = models.TextField(_("办理结果"), blank=True)
    answered_on = models.DateField(_("办理日期"), null=True, blank=True)
    close_reason = models.CharField(_("办结说明"), max_length=200, blank=True)
    related = models.ManyToManyField("self", verbose_name=_("相关信访件"), blank=True, symmetrical=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("信访件")
        verbose_name_plural = _("信访件")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["body", "status"], name="petition_body_status_idx"),
            # The petition list's keyset order: a page reads its rows off the index, no sort of the table.
            models.Index(fields=["-received_on", "-id"], name="petition_received_on_id_idx"),
        ]

    def __str__(self):
        return self.ref

    def get_absolute_url(self) -> str:
        return reverse("petitions:petition", kwargs={"pk": self.pk})


class PublicCounter(models.Model):
    """What one key has done on the public pages within its current window — filings or lookups of
    one client's network, failed lookups of a client, of a receipt (its first four symbols) or of
    everyone — and the lock it earned. Keys are keyed hashes: no address, no part of a receipt code.

    Every change goes through ``petitions.public_limits`` under a row lock, so limits hold across
    web workers on SQLite and PostgreSQL alike."""

    key = models.CharField(max_length=64, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(default=timezone.now)
    strikes = models.PositiveIntegerField(default=0)  # locks earned in a row; each doubles the next
    locked_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("公开访问计数")
        verbose_name_plural = _("公开访问计数")

    def __str__(self):
        return f"{self.key[:8]} {self.count}/{self.strikes}"
