from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    """Kinds of party organisation; the codes are those of the ledger bundle (DESIGN.md §7)."""

    PROVINCIAL_COMMITTEE = "provincial_committee", _("省委")
    MUNICIPAL_COMMITTEE = "municipal_committee", _("市委")
    DISTRICT_COMMITTEE = "district_committee", _("区委")
    COUNTY_COMMITTEE = "county_committee", _("县委")
    DEPARTMENT = "department", _("部门党组（党委）")
    UNIVERSITY = "university", _("高校党委")
    SOE = "soe", _("国有企业党委")
    INSTITUTION = "institution", _("事业单位党组织")
    TOWN = "town", _("乡镇党委")
    STREET = "street", _("街道党工委")
    VILLAGE = "village", _("村党组织")
    COMMUNITY = "community", _("社区党组织")
    BRANCH = "branch", _("党支部（党总支）")
    OTHER = "other", _("其他党组织")


# Kinds counted as grassroots (村、社区) for grassroots coverage (DESIGN.md §3).
GRASSROOTS_KINDS = frozenset({OrgKind.VILLAGE, OrgKind.COMMUNITY})


class BodyLevel(models.TextChoices):
    INSPECTION = "inspection", _("巡视")
    PATROL = "patrol", _("巡察")
