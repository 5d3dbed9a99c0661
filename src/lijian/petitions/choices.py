"""Channels and statuses of petitions (信访件), and which status may follow which."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lijian.core.choices import TransitionTable


class Channel(models.TextChoices):
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    CALL = "call", _("来电")
    ONLINE = "online", _("网上举报")
    QR = "qr", _("码上巡察")
    JOINT_RECEPTION = "joint_reception", _("联合接待")


class PetitionStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    ROUTED = "routed", _("已转办")
    ANSWERED = "answered", _("已办理")
    CLOSED = "closed", _("已办结")


PETITION_TRANSITIONS = TransitionTable(
    PetitionStatus,
    {
        PetitionStatus.RECEIVED: {PetitionStatus.ROUTED, PetitionStatus.CLOSED},
        PetitionStatus.ROUTED: {PetitionStatus.ANSWERED},
        PetitionStatus.ANSWERED: {PetitionStatus.CLOSED, PetitionStatus.ROUTED},  # sent back for more
    },
)


class Route(models.TextChoices):
    GROUP = "group", _("转巡视巡察组")
    DEPARTMENT = "department", _("作为问题线索转协作部门")
    CLOSED = "closed", _("不予转办，说明理由后办结")
