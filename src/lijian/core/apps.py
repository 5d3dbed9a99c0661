from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lijian.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import checks  # noqa: F401  registers the route permission check
        from .chain import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="lijian-ledger-sqlite")
        from .audit import register_actions
        from .daily import AUDIT_ACTIONS

        register_actions(
            {
                "reference.save": _("修改参考数据"),
                "ledger.verify": _("校验审计账本"),
                "document.download": _("下载文书"),
            }
        )
        register_actions(AUDIT_ACTIONS)

        from .reference import Table, register_reference

        register_reference(
            Table(
                "value-synonyms",
                _("台账取值同义词"),
                "core.ValueSynonym",
                ("vocabulary", "word", "value", "note"),
                "lijian.core.vocabulary.SynonymForm",
            ),
            order=95,
        )
