"""What the analytics app keeps: proposals drawn from common problems (以巡促改)."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lijian.core.fields import optional_link, user_field


class ProposalKind(models.TextChoices):
    SPECIAL_ROUND = "special_round", _("专项巡视巡察主题")
    SYSTEM = "system", _("制度建设事项")


class CommonProblemProposal(models.Model):
    """A group of common problems the office proposes to act on: as the theme of a special round of its
    body (the round it opened), or as a system-level rectification item for the body's committee
    (制度建设), with the problems it rests on."""

    kind = models.CharField(_("类别"), max_length=20, choices=ProposalKind.choices)
    body = models.ForeignKey(
        "orgs.InspectionBody", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("主题"), max_length=200)
    note = models.TextField(_("理由和建议措施"), blank=True)
    responsible = models.CharField(_("牵头单位"), max_length=120, blank=True)
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    round = optional_link("inspections.Round", _("专项轮次"), "common_proposals")
    problems = models.ManyToManyField(
        "findings.Problem", verbose_name=_("所依据的问题"), related_name="common_proposals"
    )
    proposed_by = user_field(_("提出人"))
    proposed_at = models.DateTimeField(_("提出时间"), default=timezone.now)

    class Meta:
        verbose_name = _("共性问题整改建议")
        verbose_name_plural = _("共性问题整改建议")
        ordering = ["-proposed_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("analytics:common_proposal", kwargs={"pk": self.pk})
