from django.apps import AppConfig


class PluginConfig(AppConfig):
    name = "tests.plugin_app"
    label = "plugin_app"

    def ready(self):
        from lijian.core.api import register_router
        from lijian.core.daily import DailyStep, register_daily_step
        from lijian.core.permissions import Perm
        from lijian.core.registry import MenuEntry, Panel, register_menu, register_panel

        from . import content

        register_router("/plugin", content.router, order=90)
        register_daily_step(
            DailyStep("plugin_items", content.overdue, "插件事项 {n} 件", "plugin-overdue", "插件事项"),
            order=90,
            digest_order=90,
            audit_actions={content.OVERDUE_ACTION: "插件事项超期"},
        )
        register_menu(MenuEntry("plugin_app", "插件", "plugin_app:index", Perm.ROUND_MANAGE), order=90)
        register_panel(
            "plugin_app.org_panel",
            Panel("orgs.organization", "side", "plugin_app/org_panel.html", content.org_panel),
            order=30,
        )
