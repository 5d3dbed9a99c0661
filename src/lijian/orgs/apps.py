from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "lijian.orgs"
    label = "orgs"
    verbose_name = _("组织")

    def ready(self):
        from . import ledger  # noqa: F401  registers organizations.csv, bodies.csv, terms.csv
