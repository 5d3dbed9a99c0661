"""The columns of the talent pool list and its export."""

from django.utils.translation import gettext_lazy as _

from lijian.core.lists import Column, ListSpec
from lijian.documents.exports import export_response

POOL = ListSpec(
    template="people/pool.html",
    order=("cadre_id",),
    columns=(
        Column("cadre_id", _("编号")),
        Column("name", _("姓名")),
        Column("home_org", _("单位"), "home_org.name"),
        Column("rank", _("职级"), "get_rank_display"),
        Column("birth_year", _("出生年份")),
        Column("skills", _("专长"), lambda c: "、".join(s.name for s in c.skills.all())),
        Column("in_pool", _("在库"), lambda c: "✓" if c.in_pool else "—"),
    ),
    exporter=export_response,
    filename="pool",
    table_id="pool",
)
