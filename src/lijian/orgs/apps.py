from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "lijian.orgs"
    label = "orgs"
    verbose_name = _("组织")

    def ready(self):
        from lijian.core.audit import register_actions

        register_actions(
            {
                "organization.create": _("新增组织"),
                "organization.update": _("修改组织"),
                "organization.move": _("移动组织"),
                "body.create": _("设立巡视巡察机构"),
                "body.update": _("修改巡视巡察机构"),
                "term.create": _("新增届次"),
                "term.update": _("修改届次"),
            }
        )
        from . import ledger  # noqa: F401  registers organizations.csv, bodies.csv, terms.csv
