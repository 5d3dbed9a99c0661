"""The four kinds of document this app writes, registered with ``documents`` (from ``ready()``):
each issued by an inspection body (``orgs.body``) under a prefix derived from its committee's name,
seen by the body's office, leaders and auditors (``Perm.DOCUMENT_VIEW``) and drafted and issued by its
office (``Perm.DOCUMENT_ISSUE``), with a term and/or a year as parameters."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lijian.documents.kinds import DocumentKind, register_document_kind

from . import notices, selectors, work_report
from .text import prefix
from .work_report import NAMING_NOTICE, RECTIFICATION_NOTICE, SELF_INSPECTION_NOTICE

WORK_REPORT = "work_report"


def _kind(code: str, label, build) -> DocumentKind:
    return DocumentKind(
        code=code,
        label=label,
        organ_type=selectors.ORGAN_TYPE,
        prefix_for=prefix,
        build=build,
        organ_get=selectors.body_get,
        organs_visible=lambda user: selectors.bodies_visible(user).values("pk"),
        organs_issuing=selectors.bodies_issuing,
        params_parse=selectors.params_parse,
        organ_from_code=selectors.body_from_code,
        organ_name=lambda body: body.name,
        organ_path=lambda body: body.owner_org.path,
    )


KINDS = (
    _kind(RECTIFICATION_NOTICE, _("整改情况通报"), notices.rectification_notice),
    _kind(NAMING_NOTICE, _("点名道姓通报"), notices.naming_notice),
    _kind(SELF_INSPECTION_NOTICE, _("自查情况通报"), notices.self_inspection_notice),
    _kind(WORK_REPORT, _("工作报告"), work_report.build),
)


def register_kinds() -> None:
    """Register the four kinds (again: ``ready()`` may run twice), after the documents app's own."""
    for order, kind in enumerate(KINDS, 10):
        register_document_kind(kind, order=order)
