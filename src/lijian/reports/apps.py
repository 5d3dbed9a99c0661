from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The official documents written from the records: the rectification notice, the naming notice on
    patrol work, the self-inspection notice and the work report of a body for a term or a year. Each is
    a kind registered with the documents app, which numbers, freezes and renders it."""

    name = "lijian.reports"
    label = "reports"
    verbose_name = _("通报和报告")

    def ready(self):
        from .kinds import register_kinds

        register_kinds()
