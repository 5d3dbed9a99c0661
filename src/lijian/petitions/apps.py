from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lijian.core.api import register_router
from lijian.core.permissions import Perm
from lijian.core.registry import MenuEntry, register_menu


class PetitionsConfig(AppConfig):
    name = "lijian.petitions"
    label = "petitions"
    verbose_name = _("信访")

    def ready(self):
        from lijian.core.audit import register_actions
        from lijian.documents.attachments import register_owner
        from lijian.findings.views import register_attach_subject

        from . import api, identity, ledger, panels, selectors  # noqa: F401  ledger registers petitions.csv

        identity.relocate_configured_legacy_key()

        register_actions(
            {
                "petition.receive": _("登记信访件"),
                "petition.file_public": _("群众通过码上巡察反映"),
                "petition.route_group": _("信访件转巡视巡察组"),
                "petition.route_department": _("信访件作为线索转协作部门"),
                "petition.answer": _("信访件办理结果"),
                "petition.close": _("信访件办结"),
                "petition.send_back": _("信访件退回重办"),
                "petition.send_back_reason": _("退回理由"),
                "petition.link": _("关联信访件"),
                "petition.reveal": _("查看信访人身份"),
            }
        )
        register_owner(
            "petitions.petition",
            selectors.petition_get_for_files,
            lambda user, petition: selectors.can_answer(user, petition),
            lambda petition: petition.body.owner_org.path,
        )

        register_attach_subject("petition", selectors.petition_get)  # its files are uploaded there

        register_router("/petitions", api.router, order=30)

        register_menu(MenuEntry("petitions", _("信访"), "petitions:list", Perm.PETITION_VIEW), order=50)

        panels.register()  # cards on other apps' detail pages
