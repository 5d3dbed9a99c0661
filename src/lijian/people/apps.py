from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lijian.core.permissions import Perm
from lijian.core.registry import MenuEntry, register_menu


class PeopleConfig(AppConfig):
    name = "lijian.people"
    label = "people"
    verbose_name = _("人才库")

    def ready(self):
        from lijian.core.audit import register_actions
        from lijian.core.reference import Table, register_reference

        from . import ledger  # noqa: F401  registers cadres.csv and conflicts.csv

        register_actions(
            {
                "cadre.create": _("新增人才库人员"),
                "cadre.update": _("修改人才库人员"),
                "conflict.declare": _("登记回避事项"),
                "conflict.withdraw": _("撤销回避事项"),
            }
        )

        register_menu(MenuEntry("people", _("人才库"), "people:pool", Perm.POOL_VIEW), order=70)

        register_reference(Table("skills", _("专长"), "people.Skill", ("code", "name")), order=30)
        register_reference(
            Table(
                "supervision-lines",
                _("监督关系（回避）"),
                "people.SupervisionLine",
                ("supervisor", "supervised", "description", "active"),
                "lijian.people.forms.SupervisionLineForm",
            ),
            order=40,
        )
