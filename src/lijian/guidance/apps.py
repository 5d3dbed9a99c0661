from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    """The guidance of lower bodies' patrol work: self-inspection (M7), review of district
    secretaries' special-meeting materials (M16) and the yearly assessment with its naming (M17, M18)."""

    name = "lijian.guidance"
    label = "guidance"
    verbose_name = _("指导督导")
