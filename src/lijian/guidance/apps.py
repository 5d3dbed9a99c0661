from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lijian.core.api import register_router
from lijian.core.permissions import Perm
from lijian.core.registry import MenuEntry, register_menu

# Labels of the audit actions the services write.
AUDIT_ACTIONS = {
    "material_review.receive": _("登记专题会材料"),
    "material_review.start": _("开始审阅专题会材料"),
    "material_review.return": _("退回专题会材料修改"),
    "material_review.resubmit": _("专题会材料重新报送"),
    "material_review.accept": _("专题会材料审阅通过"),
    "self_inspection.open": _("开展自查"),
    "self_inspection.item_add": _("登记自查事项"),
    "self_inspection.item_fix": _("填写自查整改"),
    "self_inspection.close": _("完成自查"),
    "assessment.create": _("开展年度考核"),
    "assessment.compute": _("按数据计算考核得分"),
    "assessment.score": _("考核评议打分"),
    "assessment.rank": _("考核排名"),
    "assessment.reopen": _("退回考核评分"),
    "assessment.confirm": _("确定考核结果"),
    "naming.propose": _("列入拟通报名单"),
    "naming.confirm": _("确定通报"),
    "naming.drop": _("不予通报"),
}


class GuidanceConfig(AppConfig):
    """The guidance of lower bodies' patrol work: self-inspection (M7), review of district
    secretaries' special-meeting materials (M16) and the yearly assessment with its naming (M17, M18)."""

    name = "lijian.guidance"
    label = "guidance"
    verbose_name = _("指导督导")

    def ready(self):
        from lijian.core.audit import register_actions
        from lijian.core.reference import Table, register_reference
        from lijian.documents.attachments import register_owner

        from . import api, ledger, selectors  # noqa: F401  ledger registers its six files

        # The material of a special meeting hangs on its review, as visible as the review; the
        # reviewing office adds it.
        register_owner(
            "guidance.materialreview",
            selectors.review_get_for_files,
            selectors.can_manage,
            lambda review: review.organization.path,
        )
        register_actions(AUDIT_ACTIONS)
        register_router("/guidance", api.router, order=70)
        register_reference(
            Table(
                "assessment_indicators",
                _("考核指标"),
                "guidance.AssessmentIndicator",
                ("code", "name", "weight", "kind", "figure_key", "active"),
            ),
            order=90,
        )
        register_menu(MenuEntry("guidance", _("指导督导"), "guidance:index", Perm.GOVERNANCE_VIEW), order=67)
