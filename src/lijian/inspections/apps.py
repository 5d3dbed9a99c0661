from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lijian.core.permissions import Perm
from lijian.core.registry import MenuEntry, register_menu


class InspectionsConfig(AppConfig):
    name = "lijian.inspections"
    label = "inspections"
    verbose_name = _("巡视巡察")

    def ready(self):
        from lijian.core.audit import register_actions
        from lijian.core.reference import Table, register_reference
        from lijian.people.services import register_availability

        from . import (
            availability,
            ledger,  # noqa: F401  registers org_risks, rounds, standing_groups, groups, inspections.csv
            panels,
        )

        register_availability(availability.engagements)  # declaring an absence asks it too

        register_actions(
            {
                "group.create": _("设立巡视巡察组"),
                "group.core_staff": _("调整在编人员"),
                "rules.update": _("修改编组规则"),
                "round.create": _("新建轮次"),
                "round.update": _("修改轮次"),
                "round.reopen_staffing": _("撤销编组确认"),
                "round.add_targets": _("增加巡视巡察对象"),
                "round.remove_target": _("移除巡视巡察对象"),
                "plan.submit": _("运行编组求解"),
                "plan.edit": _("手工调整编组"),
                "plan.confirm": _("确认编组"),
                "inspection.prepare": _("进入准备阶段"),
                "inspection.enter_site": _("进驻"),
                "inspection.leave_site": _("撤离"),
                "inspection.feed_back": _("反馈"),
                "inspection.transfer": _("移交"),
                "inspection.rectify": _("进入整改阶段"),
                "inspection.archive": _("归档"),
                "inspection.withdraw": _("撤销巡视巡察"),
                "inspection.withdraw_reason": _("撤销理由"),
                "activity.record": _("记录了解情况"),
                "risk.set": _("设定风险分"),
                "inspection.extend": _("巡镇带村（社区）"),
            }
        )

        # A body's and a term's pages are where rounds are planned: they light this area up (the
        # list of bodies is the statistics entry's).
        register_menu(
            MenuEntry(
                "inspections",
                _("巡视巡察"),
                "inspections:rounds",
                Perm.ROUND_VIEW,
                lambda app, view: (
                    app == "inspections"
                    or (view.startswith(("orgs:bod", "orgs:term")) and view != "orgs:bodies")
                ),
            ),
            order=20,
        )

        register_reference(
            Table(
                "linkage-modes",
                _("上下联动方式"),
                "inspections.LinkageMode",
                ("code", "name", "definition", "order"),
            ),
            order=10,
        )
        register_reference(
            Table(
                "fieldwork-methods",
                _("了解情况方式"),
                "inspections.FieldworkMethod",
                ("code", "name", "order", "active"),
            ),
            order=20,
        )

        panels.register()  # cards on other apps' detail pages
