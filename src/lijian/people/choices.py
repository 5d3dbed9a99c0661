from django.db import models
from django.utils.translation import gettext_lazy as _


class Rank(models.TextChoices):
    """Post ranks, most senior first; ``RANK_LEVEL`` orders them for the leader rule."""

    BUREAU = "bureau", _("正厅（局）级")
    DEPUTY_BUREAU = "deputy_bureau", _("副厅（局）级")
    DIVISION = "division", _("正处级")
    DEPUTY_DIVISION = "deputy_division", _("副处级")
    SECTION = "section", _("正科级")
    DEPUTY_SECTION = "deputy_section", _("副科级")
    STAFF = "staff", _("科员")


RANK_LEVEL = {
    Rank.BUREAU: 7,
    Rank.DEPUTY_BUREAU: 6,
    Rank.DIVISION: 5,
    Rank.DEPUTY_DIVISION: 4,
    Rank.SECTION: 3,
    Rank.DEPUTY_SECTION: 2,
    Rank.STAFF: 1,
}


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class ConflictKind(models.TextChoices):
    RELATIVE = "relative", _("亲属关系")
    FORMER_POST = "former_post", _("曾在该单位任职")
    OTHER = "other", _("其他")


class AbsenceKind(models.TextChoices):
    """Why a cadre cannot serve for a while (declared with its dates)."""

    TRAINING = "training", _("培训")
    LEAVE = "leave", _("休假")
    SECONDMENT = "secondment", _("借调")
    OTHER = "other", _("其他")
