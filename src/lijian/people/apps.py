from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "lijian.people"
    label = "people"
    verbose_name = _("人才库")

    def ready(self):
        from lijian.core.audit import register_actions

        register_actions(
            {
                "cadre.create": _("新增人才库人员"),
                "cadre.update": _("修改人才库人员"),
                "conflict.declare": _("登记回避事项"),
                "conflict.withdraw": _("撤销回避事项"),
            }
        )
        from . import ledger  # noqa: F401  registers cadres.csv and conflicts.csv
