from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lijian.core.permissions import Perm
from lijian.core.registry import MenuEntry, register_menu


class AnalyticsConfig(AppConfig):
    name = "lijian.analytics"
    label = "analytics"
    verbose_name = _("统计")

    def ready(self):

        from . import panels

        # The statistics entry opens the list of bodies, whose figures lead to each body's.
        register_menu(
            MenuEntry(
                "analytics",
                _("统计"),
                "orgs:bodies",
                Perm.FIGURES_VIEW,
                lambda app, view: app == "analytics" or view == "orgs:bodies",
            ),
            order=80,
        )

        panels.register()  # cards on other apps' detail pages
