"""Rounds, groups and inspections. This release holds the standing groups of each body; rounds and
inspections come with the planning release."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Group(models.Model):
    """A standing inspection or patrol group of a body (第N巡视组 / 第N巡察组)."""

    body = models.ForeignKey(
        "orgs.InspectionBody", verbose_name=_("机构"), on_delete=models.CASCADE, related_name="groups"
    )
    number = models.PositiveIntegerField(_("组号"))
    name = models.CharField(_("名称"), max_length=60)
    active = models.BooleanField(_("在编"), default=True)

    class Meta:
        verbose_name = _("巡视巡察组")
        verbose_name_plural = _("巡视巡察组")
        ordering = ["body", "number"]
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="group_number_unique_per_body")
        ]

    def __str__(self):
        return self.name
