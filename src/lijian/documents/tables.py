"""The columns of the official document list."""

from django.utils.translation import gettext_lazy as _

from lijian.core.lists import Column, ListSpec

from .exports import export_response

DOCUMENTS = ListSpec(
    template="documents/official_list.html",
    order=("-created_at", "-id"),
    columns=(
        Column("kind", _("种类"), "kind_label"),
        Column("number", _("发文字号"), sort=("number",)),
        Column("title", _("标题")),
        Column("organ_name", _("发文机关"), sort=("organ_name",)),
        Column("status", _("状态"), "get_status_display"),
        Column("as_of", _("数据截至"), sort=("as_of",)),
        Column("created_at", _("起草时间"), sort=("created_at",)),
    ),
    exporter=export_response,
    filename="official-documents",
    table_id="document-list",
    filter_id="document-filter",
)
