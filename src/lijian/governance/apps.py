from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    """The committee's own inspection work: leading-group and standing-committee meetings with the
    secretary's instructions arising from them (M1), the rules it issues (M2) and the exposure of
    typical cases (M13)."""

    name = "lijian.governance"
    label = "governance"
    verbose_name = _("主体责任")
