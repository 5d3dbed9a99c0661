"""The columns of the committee's lists: headers, export values, sortable columns."""

from django.utils.translation import gettext_lazy as _

from lijian.core.lists import Column, ListSpec
from lijian.documents.exports import export_response

MEETINGS = ListSpec(
    template="governance/meetings.html",
    order=("-held_on", "-id"),
    columns=(
        Column("held_on", _("会议日期"), sort=("held_on",)),
        Column("kind", _("会议类型"), "get_kind_display"),
        Column("title", _("会议名称"), sort=("title",)),
        Column("body", _("机构"), "body.name"),
        Column("topics", _("议题")),
        Column("decisions", _("会议决定")),
    ),
    exporter=export_response,
    filename="meetings",
    table_id="meetings",
    filter_id="meeting-filter",
)

INSTRUCTIONS = ListSpec(
    template="governance/instructions.html",
    order=("-given_on", "-id"),
    columns=(
        Column("given_on", _("批示日期"), sort=("given_on",)),
        Column("meeting", _("会议"), "meeting.title"),
        Column("given_by_name", _("批示领导")),
        Column("text", _("批示内容")),
        Column("assignee_name", _("承办单位或人员")),
        Column("due_on", _("落实期限"), sort=("due_on",)),
        Column("status", _("状态"), "get_status_display"),
        Column("answer", _("落实情况")),
    ),
    exporter=export_response,
    filename="meeting-instructions",
    table_id="meeting-instructions",
    filter_id="instruction-filter",
)

REGULATIONS = ListSpec(
    template="governance/regulations.html",
    order=("-issued_on", "-id"),
    columns=(
        Column("name", _("名称"), sort=("name",)),
        Column("number", _("文号")),
        Column("issuer", _("发文机关")),
        Column("issued_on", _("印发日期"), sort=("issued_on",)),
        Column("status", _("状态"), "get_status_display"),
        Column("replaced_by", _("修订后的制度"), "replaced_by.name"),
    ),
    exporter=export_response,
    filename="regulations",
    table_id="regulations",
    filter_id="regulation-filter",
)

EXPOSURES = ListSpec(
    template="governance/exposures.html",
    order=("-published_on", "-id"),
    columns=(
        Column("published_on", _("发布日期"), sort=("published_on",)),
        Column("title", _("案例")),
        Column("organization", _("涉及党组织"), "organization.name"),
        Column("channel", _("曝光渠道"), "get_channel_display"),
        Column("outlet", _("发布平台")),
        Column("people_named", _("涉及人员")),
    ),
    exporter=export_response,
    filename="exposures",
    table_id="exposures",
    filter_id="exposure-filter",
)
