"""The columns of the rectification lists (self-criticisms, interviews, accountability, evaluations,
instructions): their order, paging and what their CSV and .xlsx exports hold, headed as the pages are."""

from django.utils.translation import gettext_lazy as _

from lijian.core.lists import Column, ListSpec
from lijian.documents.exports import export_response


def _cause(item) -> str:
    """What an accountability arose from, as the list's 起因 column names it."""
    if item.problem_id:
        return item.problem.ref
    if item.task_id:
        return str(_("整改任务"))
    if item.self_criticism_id:
        return str(_("深刻检查"))
    if item.inspection_id:
        return str(item.inspection.round)
    return ""


def _person(user) -> str:
    return (user.full_name or user.username) if user is not None else ""


def _percent(rate) -> float | None:
    """A rate as a number of percent (71.4), none when nothing is counted (the page's —)."""
    return round(rate.value * 100, 1) if rate.denominator else None


def _standing(row) -> str:
    if row["in_period"]:
        return str(_("整改期内"))
    return str(_("低于警戒线")) if row["below"] else ""


# The rates overview (整改情况): rows of ``views.index`` (an inspection and its two rates), exported
# with each rate as a number of percent beside the counts it divides, never a text like 5/7 that a
# spreadsheet would read as a date.
RATES = (
    Column("organization", _("被巡视巡察党组织"), lambda r: r["inspection"].organization.name),
    Column("round", _("轮次"), lambda r: str(r["inspection"].round)),
    Column("feedback", _("反馈日期"), lambda r: r["inspection"].feedback.held_on),
    Column("completion", _("整改完成率（%）"), lambda r: _percent(r["completion"])),
    Column("completion_numerator", _("整改完成率分子"), lambda r: r["completion"].numerator),
    Column("completion_denominator", _("整改完成率分母"), lambda r: r["completion"].denominator),
    Column("implementation", _("整改落实到位率（%）"), lambda r: _percent(r["implementation"])),
    Column("implementation_numerator", _("整改落实到位率分子"), lambda r: r["implementation"].numerator),
    Column("implementation_denominator", _("整改落实到位率分母"), lambda r: r["implementation"].denominator),
    Column("standing", _("状态"), _standing),
)

SELF_CRITICISMS = ListSpec(
    template="rectification/self_criticisms.html",
    order=("urgency", "due_on", "organization__code", "pk"),
    columns=(
        Column("organization", _("党组织"), "organization.name"),
        Column("body", _("机构"), "body.name"),
        Column("assessed_on", _("认定日期")),
        Column("numerator", _("落实到位的问题")),
        Column("denominator", _("已反馈的问题")),
        Column("threshold", _("警戒线（%）")),
        Column("due_on", _("提交期限")),
        Column("status", _("状态"), "get_status_display"),
    ),
    exporter=export_response,
    filename="self-criticisms",
    table_id="self-criticisms",
)

INTERVIEWS = ListSpec(
    template="rectification/interviews.html",
    order=("-held_on", "-pk"),
    columns=(
        Column("held_on", _("约谈日期")),
        Column("organization", _("党组织"), "organization.name"),
        Column("interviewer", _("约谈人")),
        Column("interviewee", _("被约谈人")),
        Column("interviewee_post", _("被约谈人职务")),
        Column("reason", _("约谈事由")),
        Column("follow_up", _("后续跟踪")),
    ),
    exporter=export_response,
    filename="interviews",
    table_id="interviews",
)

ACCOUNTABILITY = ListSpec(
    template="rectification/accountability.html",
    order=("-decided_on", "-pk"),
    columns=(
        Column("decided_on", _("决定日期")),
        Column("organization", _("党组织"), "organization.name"),
        Column("subject_name", _("问责对象")),
        Column("subject_post", _("职务")),
        Column("action", _("问责方式"), "get_action_display"),
        Column("reason", _("问责事由")),
        Column("decided_by", _("决定机关")),
        Column("cause", _("起因"), _cause),
    ),
    exporter=export_response,
    filename="accountability",
    table_id="accountability",
)

EVALUATIONS = ListSpec(
    template="rectification/evaluations.html",
    order=("-evaluated_on", "-pk"),
    columns=(
        Column("evaluated_on", _("评估日期")),
        Column("organization", _("党组织"), "organization.name"),
        Column("body", _("机构"), "body.name"),
        Column("total", _("总分")),
        Column("grade", _("等次"), "get_grade_display"),
        Column("interview", _("约谈"), lambda e: e.interview.held_on if e.interview_id else None),
    ),
    exporter=export_response,
    filename="evaluations",
    table_id="evaluations",
)

INSTRUCTIONS = ListSpec(
    template="rectification/instructions.html",
    order=("rank", "-given_on", "-pk"),
    columns=(
        Column("given_on", _("批示日期")),
        Column("leader", _("批示领导"), lambda i: _person(i.leader)),
        Column("subject", _("事项"), "subject.ref"),  # a clue's ref only: never the person it names
        Column("text", _("批示内容")),
        Column("addressee", _("承办人"), lambda i: _person(i.addressee)),
        Column("deadline", _("落实期限")),
        Column("status", _("状态"), "get_status_display"),
    ),
    exporter=export_response,
    filename="instructions",
    table_id="instruction-list",
)
