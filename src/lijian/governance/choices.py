"""The committee's own work: kinds of meetings, the life of a rule (in force → revised or repealed)
and the channels a typical case is exposed through. Instructions arising from meetings follow the
workflow of leaders' instructions on problems (``rectification.choices.InstructionStatus`` and
``INSTRUCTION_TRANSITIONS``), imported from there, not written twice."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lijian.core.choices import TransitionTable
from lijian.rectification.choices import INSTRUCTION_TRANSITIONS, InstructionStatus

__all__ = [
    "INSTRUCTION_TRANSITIONS",
    "REGULATION_TRANSITIONS",
    "ExposureChannel",
    "InstructionStatus",
    "MeetingKind",
    "RegulationStatus",
]


class MeetingKind(models.TextChoices):
    LEADING_GROUP = "leading_group", _("巡视工作领导小组会议")
    STANDING_COMMITTEE = "standing_committee", _("常委会会议")
    SECRETARY = "secretary", _("书记专题会")
    OTHER = "other", _("其他")


class RegulationStatus(models.TextChoices):
    IN_FORCE = "in_force", _("现行有效")
    REVISED = "revised", _("已修订")
    REPEALED = "repealed", _("已废止")


# A rule in force is revised (a newer text replaces it: ``replaced_by`` names it) or repealed. A
# revision found not to have happened (the newer text withdrawn before it took effect) puts the
# old text back in force; a repeal is final — a rule brought back is issued again as a new record.
REGULATION_TRANSITIONS = TransitionTable(
    RegulationStatus,
    {
        RegulationStatus.IN_FORCE: {RegulationStatus.REVISED, RegulationStatus.REPEALED},
        RegulationStatus.REVISED: {RegulationStatus.IN_FORCE},
    },
)


class ExposureChannel(models.TextChoices):
    CENTRAL_MEDIA = "central_media", _("中央媒体")
    LOCAL_MEDIA = "local_media", _("地方媒体")
    WEBSITE = "website", _("网站")
    CADRE_CONFERENCE = "cadre_conference", _("干部大会")
    INTERNAL = "internal", _("内部通报")
    OTHER = "other", _("其他")
