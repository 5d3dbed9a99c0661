"""The columns of the guidance lists (exported through ``documents.exports``)."""

from django.utils.translation import gettext_lazy as _

from lijian.core.lists import Column, ListSpec
from lijian.documents.exports import export_response

REVIEWS = ListSpec(
    template="guidance/reviews.html",
    order=("-received_on", "-id"),
    columns=(
        Column("organization", _("报送党委"), "organization.name"),
        Column("secretary_name", _("书记")),
        Column("meeting_title", _("专题会")),
        Column("meeting_on", _("专题会日期"), sort=("meeting_on",)),
        Column("received_on", _("收到材料日期"), sort=("received_on",)),
        Column("status", _("状态"), "get_status_display"),
    ),
    exporter=export_response,
    filename="material_reviews",
    table_id="review-list",
)

SELF_INSPECTIONS = ListSpec(
    template="guidance/self_inspections.html",
    order=("-period_end", "-id"),
    columns=(
        Column("title", _("名称")),
        Column("body", _("自查机构"), "body.name"),
        Column("scope", _("自查范围"), "get_scope_display"),
        Column("period_end", _("自查期间"), sort=("period_end",)),
        Column("status", _("状态"), "get_status_display"),
    ),
    exporter=export_response,
    filename="self_inspections",
    table_id="self-inspection-list",
)

ASSESSMENTS = ListSpec(
    template="guidance/assessments.html",
    order=("-year", "-id"),
    columns=(
        Column("year", _("年度"), sort=("year",)),
        Column("body", _("考核机构"), "body.name"),
        Column("naming_count", _("排名靠后拟通报数")),
        Column("status", _("状态"), "get_status_display"),
    ),
    exporter=export_response,
    filename="assessments",
    table_id="assessment-list",
)
