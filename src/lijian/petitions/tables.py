"""The columns of the petition list and of its CSV and .xlsx exports: what the list shows, the
petitioner never (the 反映人 column says only whether the petition was signed, as the page does)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lijian.core.lists import Column, ListSpec
from lijian.documents.exports import export_response


def _petitioner(petition) -> str:
    return gettext("匿名") if petition.anonymous else gettext("实名（已加密）")


PETITIONS = ListSpec(
    template="petitions/list.html",
    order=("-received_on", "-id"),
    columns=(
        Column("ref", _("编号")),
        Column("channel", _("渠道"), "get_channel_display"),
        Column("received_on", _("受理日期")),
        Column("subject_org", _("反映的党组织"), "subject_org.name"),
        Column("summary", _("反映内容")),
        Column("anonymous", _("反映人"), _petitioner),
        Column("status", _("状态"), "get_status_display"),
    ),
    exporter=export_response,
    filename="petitions",
    table_id="petition-list",
)
