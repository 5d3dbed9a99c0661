from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lijian.core.api import register_router
from lijian.core.permissions import Perm
from lijian.core.registry import MenuEntry, register_home, register_menu


class OrgsConfig(AppConfig):
    name = "lijian.orgs"
    label = "orgs"
    verbose_name = _("组织")

    def ready(self):
        from lijian.core.audit import register_actions

        from . import (
            api,
            ledger,  # noqa: F401  registers organizations.csv, bodies.csv, terms.csv
        )
        from .selectors import bodies_visible

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

        register_router("/orgs", api.orgs_router, order=10)
        register_router("/bodies", api.bodies_router, order=11)
        register_router("/terms", api.terms_router, order=12)

        # The office's pages (bodies, terms) belong to the inspections area of the menu.
        register_menu(
            MenuEntry(
                "orgs",
                _("组织"),
                "orgs:tree",
                Perm.ORG_VIEW,
                lambda app, view: app == "orgs" and not view.startswith(("orgs:bod", "orgs:term")),
            ),
            order=10,
        )

        register_home(
            "orgs.bodies", lambda request: {"has_bodies": bodies_visible(request.user).exists()}, order=20
        )
