from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lijian.core.api import register_router
from lijian.core.permissions import Perm
from lijian.core.registry import MenuEntry, register_menu

# Labels of the audit actions the services write.
AUDIT_ACTIONS = {
    "meeting.record": _("登记会议"),
    "meeting.change": _("修改会议"),
    "meeting_instruction.give": _("记录会议批示"),
    "meeting_instruction.answer": _("报送会议批示落实情况"),
    "meeting_instruction.close": _("会议批示办结"),
    "meeting_instruction.reopen": _("要求继续落实会议批示"),
    "regulation.register": _("登记制度规定"),
    "regulation.change": _("修改制度规定"),
    "regulation.revise": _("制度已修订"),
    "regulation.repeal": _("废止制度"),
    "regulation.restore": _("制度恢复有效"),
    "exposure.record": _("登记通报曝光"),
    "exposure.change": _("修改通报曝光"),
}


class GovernanceConfig(AppConfig):
    """The committee's own inspection work: leading-group and standing-committee meetings with the
    secretary's instructions arising from them (M1), the rules it issues (M2) and the exposure of
    typical cases (M13)."""

    name = "lijian.governance"
    label = "governance"
    verbose_name = _("主体责任")

    def ready(self):
        from lijian.core.audit import register_actions
        from lijian.core.daily import register_daily_step
        from lijian.documents.attachments import register_owner
        from lijian.findings.views import register_attach_subject

        from . import api, daily, ledger, selectors  # noqa: F401  ledger registers its four files

        # A meeting's minutes and a rule's text hang on the record, as visible as it; its office adds
        # them (through findings' upload page, which serves every record's files).
        for key, kind, get in (
            ("governance.meeting", "meeting", selectors.meeting_get),
            ("governance.regulation", "regulation", selectors.regulation_get),
        ):
            register_owner(key, get, selectors.can_edit, selectors.record_scope)
            register_attach_subject(kind, get)

        register_actions(AUDIT_ACTIONS)
        register_daily_step(daily.STEP, order=55, digest_order=55, audit_actions=daily.AUDIT_ACTIONS)
        register_router("/governance", api.router, order=60)
        register_menu(
            MenuEntry("governance", _("主体责任"), "governance:meetings", Perm.GOVERNANCE_VIEW), order=65
        )
