from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "lijian.inspections"
    label = "inspections"
    verbose_name = _("巡视巡察")

    def ready(self):
        from lijian.core.audit import register_actions

        register_actions({"group.create": _("设立巡视巡察组")})
