"""The four kinds of document this app writes, registered with ``documents`` (from ``ready()``):
each issued by an inspection body (``orgs.body``) under a prefix derived from its committee's name
and the kind's series (``SERIES``),
seen by the body's office, leaders and auditors (``Perm.DOCUMENT_VIEW``) and drafted and issued by its
office (``Perm.DOCUMENT_ISSUE``), with a term and/or a year as parameters."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lijian.documents.kinds import DocumentKind, register_document_kind

from . import notices, selectors, work_report
from .text import prefix
from .work_report import NAMING_NOTICE, RECTIFICATION_NOTICE, SELF_INSPECTION_NOTICE

WORK_REPORT = "work_report"

# The 机关代字 of each kind: the body's prefix (``text.prefix``: 津巡办, 和巡察办) and one character
# naming the kind's series. Serials run per organ, kind and year, so every kind needs its own 代字
# or two kinds' first documents of a year would both be 津巡办〔2025〕1号 — a repeated 发文字号,
# which GB/T 9704 forbids (``documents.official`` refuses it too). The characters say the series:
# 整改 (rectification), 督 (naming: 督办问责), 查 (self-inspection), 报 (report).
SERIES = {
    RECTIFICATION_NOTICE: "整",
    NAMING_NOTICE: "督",
    SELF_INSPECTION_NOTICE: "查",
    WORK_REPORT: "报",
}


def series_prefix(code: str):
    """The 代字 function of kind ``code``: the body's prefix followed by the kind's series character,
    e.g. 津巡办整 for a rectification notice of the city's inspection office."""
    mark = SERIES[code]
    return lambda body: f"{prefix(body)}{mark}"


def _kind(code: str, label, build, params_parse=selectors.params_parse) -> DocumentKind:
    return DocumentKind(
        code=code,
        label=label,
        organ_type=selectors.ORGAN_TYPE,
        prefix_for=series_prefix(code),
        build=build,
        organ_get=selectors.body_get,
        organs_visible=lambda user: selectors.bodies_visible(user).values("pk"),
        organs_issuing=selectors.bodies_issuing,
        params_parse=params_parse,
        organ_from_code=selectors.body_from_code,
        organ_name=lambda body: body.name,
        organ_path=lambda body: body.owner_org.path,
    )


KINDS = (
    _kind(RECTIFICATION_NOTICE, _("整改情况通报"), notices.rectification_notice),
    _kind(NAMING_NOTICE, _("点名道姓通报"), notices.naming_notice, notices.naming_params_parse),
    _kind(SELF_INSPECTION_NOTICE, _("自查情况通报"), notices.self_inspection_notice),
    _kind(WORK_REPORT, _("工作报告"), work_report.build),
)


def register_kinds() -> None:
    """Register the four kinds (again: ``ready()`` may run twice), after the documents app's own."""
    for order, kind in enumerate(KINDS, 10):
        register_document_kind(kind, order=order)
