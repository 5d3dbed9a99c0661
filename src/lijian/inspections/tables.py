"""The columns of the round list: its order, paging and what its CSV and .xlsx exports hold."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lijian.core.lists import Column, ListSpec
from lijian.documents.exports import export_response


def _round(item) -> str:
    return f"{item.term.name}{gettext('第%(n)s轮') % {'n': item.number}}"


def _kind(item) -> str:
    mode = f" · {item.linkage_mode.name}" if item.linkage_mode_id else ""
    return f"{item.get_kind_display()}{mode}"


ROUNDS = ListSpec(
    template="inspections/rounds.html",
    order=("body__code", "-term__start", "-number", "-pk"),
    columns=(
        Column("body", _("机构"), "body.name"),
        Column("round", _("轮次"), _round),
        Column("kind", _("类型"), _kind),
        Column("start", _("开始日期")),
        Column("end", _("结束日期")),
        Column("theme", _("主题")),
        Column("staffed", _("编组"), lambda r: gettext("已确认") if r.staffed_at else gettext("未确认")),
    ),
    exporter=export_response,
    filename="rounds",
    table_id="round-list",
)
