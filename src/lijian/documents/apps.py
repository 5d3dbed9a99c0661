from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lijian.core.permissions import Perm
from lijian.core.registry import MenuEntry, register_menu


class DocumentsConfig(AppConfig):
    name = "lijian.documents"
    label = "documents"
    verbose_name = _("文书与台账")

    def ready(self):
        from lijian.core.audit import register_actions

        register_actions(
            {
                "ledger.upload": _("上传台账"),
                "ledger.import": _("导入台账"),
                "ledger.export": _("导出台账"),
            }
        )

        register_menu(MenuEntry("documents", _("文书"), "documents:ledger", Perm.LEDGER_EXPORT), order=60)
