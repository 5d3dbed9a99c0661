from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lijian.core.api import register_router
from lijian.core.permissions import Perm
from lijian.core.registry import MenuEntry, register_menu


class FindingsConfig(AppConfig):
    name = "lijian.findings"
    label = "findings"
    verbose_name = _("问题和线索")

    def ready(self):
        from lijian.core.audit import register_actions
        from lijian.core.daily import register_daily_step
        from lijian.documents.attachments import register_owner
        from lijian.inspections.services import register_round_records

        from . import api, ledger, panels, selectors  # noqa: F401  ledger registers problems.csv and clues.csv
        from .daily import CLUES_STEP

        # A round may not start after the problems and clues found in it.
        register_round_records("findings", selectors.first_record_before)

        register_actions(
            {
                "problem.record": _("记录问题"),
                "problem.update": _("修改问题"),
                "problem.approve": _("审定问题"),
                "problem.unapprove": _("撤回问题审定"),
                "clue.record": _("记录问题线索"),
                "clue.transfer": _("移交问题线索"),
                "clue.withdraw": _("撤回问题线索"),
                "clue.accept": _("接收问题线索"),
                "clue.feed_back": _("反馈线索办理情况"),
                "clue.return": _("退回线索办理情况"),
                "clue.return_reason": _("退回理由"),
                "clue.overdue": _("线索反馈超期督办"),
                "clue.export": _("导出问题线索"),
                "department.create": _("新增协作部门"),
                "department.staff": _("调整协作部门经办人员"),
                "framework.version": _("修订问题分类体系"),
                "category.save": _("维护问题分类"),
                "attachment.add": _("上传附件"),
                "attachment.download": _("下载附件"),
            }
        )
        register_owner(
            "findings.problem",
            selectors.problem_get,
            lambda user, problem: selectors.can_record_findings(user, problem.inspection),
            lambda problem: problem.inspection.organization.path,
        )
        register_owner(
            "findings.clue",
            selectors.clue_get,
            lambda user, clue: (
                selectors.can_record_findings(user, clue.inspection)
                or selectors.is_department_staff(user, clue.department)
            ),
            lambda clue: clue.inspection.organization.path,
        )

        register_router("/problems", api.problems_router, order=20)
        register_router("/clues", api.clues_router, order=21)

        register_menu(MenuEntry("findings", _("问题线索"), "findings:problems", Perm.FINDINGS_VIEW), order=30)
        # A receiving department sees no problems, only the clues transferred to it.
        register_menu(MenuEntry("findings", _("问题线索"), "findings:clues", Perm.CLUE_VIEW), order=31)

        register_daily_step(CLUES_STEP, order=10, digest_order=40, audit_actions={})

        panels.register()  # cards on other apps' detail pages
