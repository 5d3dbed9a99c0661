"""The columns of the problem ledger and the clue list: headers, export values, sortable columns."""

from django.utils.translation import gettext_lazy as _

from lijian.core.lists import Column, ListSpec
from lijian.documents.exports import export_response

PROBLEMS = ListSpec(
    template="findings/problems.html",
    order=("-found_on", "-id"),
    columns=(
        Column("ref", _("编号"), sort=("ref",)),
        Column("organization", _("被巡视巡察党组织"), "inspection.organization.name"),
        Column("round", _("轮次"), lambda p: str(p.inspection.round)),
        Column("category", _("类别"), lambda p: f"{p.category.code} {p.category.name}"),
        Column("summary", _("问题概述")),
        Column("found_on", _("发现日期"), sort=("found_on",)),
        Column("review", _("审定"), "get_review_display"),
        Column("status", _("整改状态"), "get_status_display"),
    ),
    exporter=export_response,
    filename="problems",
    table_id="problems",
    filter_id="problem-filter",
)

CLUES = ListSpec(
    template="findings/clues.html",
    order=("-recorded_at", "-id"),
    columns=(
        Column("ref", _("编号")),
        Column("subject", _("反映对象"), lambda c: f"{c.subject_name} {c.subject_post}".strip()),
        Column("organization", _("被巡视巡察党组织"), "inspection.organization.name"),
        Column("department", _("移交部门"), "department.name"),
        Column("transferred_on", _("移交日期")),
        Column("due_on", _("反馈期限")),
        Column("status", _("状态"), "get_status_display"),
        Column("result", _("办理方式"), "get_result_display"),
    ),
    # a clue names a person: the view records each export in the audit ledger (services.clues_exported)
    exporter=export_response,
    filename="clues",
    table_id="clue-list",
)
