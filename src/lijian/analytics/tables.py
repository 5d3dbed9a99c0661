"""What a figure's drill-down list exports: the columns of the list the records come from (the problem
ledger's, the clue list's, the rectification lists'), and for organisations their code, name and kind.
A clue names a person: the view records each export of clues in the audit ledger (as the clue list)."""

from django.utils.translation import gettext_lazy as _

from lijian.core.lists import Column
from lijian.findings.tables import CLUES, PROBLEMS
from lijian.rectification.tables import ACCOUNTABILITY, INTERVIEWS, SELF_CRITICISMS

# model name → (columns, the relations its columns read, joined in the export's one query)
FIGURE_RECORDS = {
    "problem": (
        PROBLEMS.columns,
        ("inspection__organization", "inspection__round__body", "inspection__round__term", "category"),
    ),
    "clue": (CLUES.columns, ("inspection__organization", "department")),
    "selfcriticism": (SELF_CRITICISMS.columns, ("organization", "body")),
    "interview": (INTERVIEWS.columns, ("organization",)),
    "accountability": (
        ACCOUNTABILITY.columns,
        ("organization", "problem", "inspection__round__body", "inspection__round__term"),
    ),
    "rectificationtask": (
        (
            Column("problem", _("问题"), "problem.ref"),
            Column("organization", _("被巡视巡察党组织"), "problem.inspection.organization.name"),
            Column("measure", _("整改措施"), "measure"),
            Column("responsible_department", _("责任部门"), "responsible_department"),
            Column("deadline", _("完成时限"), "deadline"),
            Column("completed_on", _("完成日期"), "completed_on"),
        ),
        ("problem__inspection__organization",),
    ),
    "inspection": (
        (
            Column("organization", _("被巡视巡察党组织"), "organization.name"),
            Column("round", _("轮次"), "round.number"),
            Column("group", _("巡视巡察组"), "group.name"),
            Column("onsite_start", _("进驻日期"), "onsite_start"),
        ),
        ("organization", "round", "group"),
    ),
    "organization": (
        (
            Column("code", _("代码")),
            Column("name", _("党组织")),
            Column("kind", _("类别"), "get_kind_display"),
        ),
        (),
    ),
}
