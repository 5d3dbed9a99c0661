"""The columns of the body list (巡视巡察机构) and of an organisation's children: order, paging and
what their exports hold."""

from django.utils.translation import gettext_lazy as _

from lijian.core.lists import Column, ListSpec
from lijian.documents.exports import export_response

# An organisation's children (its page lists them a page at a time; ``?export=`` gives them all).
CHILDREN = (
    Column("name", _("名称")),
    Column("kind", _("类别"), "get_kind_display"),
    Column("code", _("代码")),
    Column("numchild", _("下级数")),
    Column("body_name", _("巡视巡察机构")),
)

BODIES = ListSpec(
    template="orgs/body_list.html",
    order=("owner_org__path", "pk"),
    columns=(
        Column("code", _("代码")),
        Column("name", _("名称")),
        Column("level", _("类别"), "get_level_display"),
        Column("owner_org", _("所属党委（党组）"), "owner_org.name"),
        Column("authorized_posts", _("编制数")),
    ),
    exporter=export_response,
    filename="bodies",
    table_id="body-list",
)
