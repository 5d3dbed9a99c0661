from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lijian.core.api import register_router
from lijian.core.permissions import Perm
from lijian.core.registry import MenuEntry, register_menu, register_model_alias


class RectificationConfig(AppConfig):
    name = "lijian.rectification"
    label = "rectification"
    verbose_name = _("整改")

    def ready(self):
        from lijian.core.audit import register_actions
        from lijian.core.daily import register_daily_step
        from lijian.documents.attachments import register_owner

        from . import api, daily, ledger, panels, selectors, supervision  # noqa: F401  ledger registers tasks.csv and three more files

        # Evidence of rectification hangs on the task it proves; only the liaison adds it (with a
        # progress report), and it is as visible as the task (never the group's own evidence on the
        # problem, which never counts for closing).
        register_owner(
            "rectification.rectificationtask",
            selectors.task_get,
            selectors.can_add_evidence,
            lambda task: task.problem.inspection.organization.path,
        )

        # Instructions were a findings model until they moved here; their earlier audit events
        # (never rewritten: the ledger is hash-chained) carry that label.
        register_model_alias("findings.instruction", "rectification.instruction")

        register_actions(
            {
                "feedback.give": _("巡视巡察反馈"),
                "problem.rectifying": _("问题进入整改"),
                "problem.reported_done": _("报送问题整改完成"),
                "problem.closed": _("问题销号"),
                "problem.long_term_stage_met": _("长期整改阶段目标达成"),
                "problem.reopened": _("重新打开问题"),
                "task.add": _("制定整改任务"),
                "task.accept": _("整改任务审核通过"),
                "task.change": _("修改整改任务"),
                "task.return": _("退回整改任务"),
                "task.complete": _("整改任务完成"),
                "self_criticism.due": _("须作深刻检查"),
                "self_criticism.submit": _("提交深刻检查"),
                "self_criticism.accept": _("深刻检查通过"),
                "self_criticism.return": _("深刻检查退回"),
                "interview.record": _("登记约谈"),
                "accountability.record": _("登记问责"),
                "task.progress": _("报送整改进展"),
                "report.submit": _("报送整改报告"),
                "disclosure.publish": _("发布整改公开"),
                "disclosure.withdraw": _("撤回整改公开"),
                "instruction.give": _("作出批示"),
                "instruction.answer": _("报送批示落实情况"),
                "instruction.close": _("批示办结"),
                "instruction.reopen": _("要求继续落实批示"),
                "instruction.overdue": _("批示落实超期督办"),
            }
        )
        register_actions(supervision.AUDIT_ACTIONS)

        register_router("/rectification", api.router, order=40)

        register_menu(
            MenuEntry("rectification", _("整改"), "rectification:index", Perm.RECTIFICATION_VIEW), order=40
        )

        for step, order, digest_order in daily.STEPS:
            register_daily_step(step, order=order, digest_order=digest_order, audit_actions={})
        register_actions(daily.AUDIT_ACTIONS)

        panels.register()  # cards on other apps' detail pages
