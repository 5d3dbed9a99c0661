from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lijian.core.api import register_router
from lijian.core.permissions import Perm
from lijian.core.registry import MenuEntry, register_home, register_menu


class AnalyticsConfig(AppConfig):
    name = "lijian.analytics"
    label = "analytics"
    verbose_name = _("统计")

    def ready(self):

        from lijian.core.audit import register_actions

        from . import cockpit_api, common_api, common_panels, panels
        from .cockpit_home import home_cockpit

        # The cockpit (驾驶舱): charts of a body's figures, each through its API operation.
        register_menu(
            MenuEntry(
                "cockpit",
                _("驾驶舱"),
                "analytics:cockpit",
                Perm.FIGURES_VIEW,
                lambda app, view: view.startswith("analytics:cockpit"),
            ),
            order=79,
        )
        register_router("/cockpit", cockpit_api.router, order=80)
        register_home("analytics.cockpit", home_cockpit, order=30)

        # The statistics entry opens the list of bodies, whose figures lead to each body's.
        register_menu(
            MenuEntry(
                "analytics",
                _("统计"),
                "orgs:bodies",
                Perm.FIGURES_VIEW,
                lambda app, view: (
                    (app == "analytics" and not view.startswith("analytics:cockpit")) or view == "orgs:bodies"
                ),
            ),
            order=80,
        )

        panels.register()  # cards on other apps' detail pages

        # Common problems (以巡促改): the groups and the proposals drawn from them.
        register_router("/analytics/common-problems", common_api.router, order=81)
        register_actions({"common.propose": _("根据共性问题提出建议")})
        common_panels.register()
