from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lijian.core.api import register_router
from lijian.core.lists import EXPORTERS
from lijian.core.permissions import Perm
from lijian.core.registry import MenuEntry, register_menu


class DocumentsConfig(AppConfig):
    name = "lijian.documents"
    label = "documents"
    verbose_name = _("文书与台账")

    def ready(self):
        from lijian.core.audit import register_actions

        from . import api
        from .exports import export_response

        EXPORTERS.register("spreadsheet", export_response)  # the kernel's own lists export through it

        register_actions(
            {
                "ledger.upload": _("上传台账"),
                "ledger.import": _("导入台账"),
                "ledger.export": _("导出台账"),
                "document.draft": _("起草公文"),
                "document.regenerate": _("重新生成公文草稿"),
                "document.wording": _("修改公文文字"),
                "document.issue": _("编号并印发公文"),
                "document.download": _("下载公文"),
            }
        )

        register_router("/documents/official", api.router, order=45)

        # Two areas share the "documents" key: the official documents for those who read them, the
        # ledger for the rest (the first entry a user may open gives the link).
        register_menu(
            MenuEntry("documents", _("文书"), "documents:official_list", Perm.DOCUMENT_VIEW), order=59
        )
        register_menu(MenuEntry("documents", _("文书"), "documents:ledger", Perm.LEDGER_EXPORT), order=60)
