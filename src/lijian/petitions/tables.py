"""The columns of the petition list (no export: a petition is read on its page, its petitioner never)."""

from django.utils.translation import gettext_lazy as _

from lijian.core.lists import Column, ListSpec

PETITIONS = ListSpec(
    template="petitions/list.html",
    order=("-received_on", "-id"),
    columns=(
        Column("ref", _("编号")),
        Column("channel", _("渠道"), "get_channel_display"),
        Column("received_on", _("受理日期")),
        Column("subject_org", _("反映的党组织"), "subject_org.name"),
        Column("summary", _("反映内容")),
        Column("anonymous", _("反映人")),
        Column("status", _("状态"), "get_status_display"),
    ),
    table_id="petition-list",
)
