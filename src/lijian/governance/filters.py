"""The filters of the committee's lists, shared by their pages and API operations."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lijian.core.list_filters import (
    FieldFilter,
    ListFilterSet,
    choice_filter,
    hidden_day,
    hidden_flag,
    hidden_id,
    since_filter,
    until_filter,
)

from .choices import ExposureChannel, InstructionStatus, MeetingKind, RegulationStatus
from .models import CaseExposure, Meeting, MeetingInstruction, Regulation

YEAR = {"min_value": 1949, "max_value": 2100}


def _keyword(label=None) -> FieldFilter:
    return FieldFilter(forms.CharField, label=label or _("关键词"), max_length=100, method="by_keyword")


def _year() -> FieldFilter:
    return FieldFilter(forms.IntegerField, label=_("年度"), method="by_year", **YEAR)


class _Filter(ListFilterSet):
    """A list whose 关键词 searches ``keyword_fields`` (contains) and whose 年度 is ``date_field``'s.

    ``body``, ``since`` and ``until`` (hidden: set by the links of a count, e.g. the work report's
    "11 次常委会会议" → ``?body=<id>&kind=standing_committee&since=2017-10-18``) keep the records of
    one body (``body`` through ``id_prefix``) dated (``date_field``) within the range, as the
    selectors' counts define them."""

    keyword_fields: tuple[str, ...] = ()
    body = hidden_id(_("机构"))
    since = since_filter()
    until = until_filter()

    def by_keyword(self, rows, name, value):
        value = value.strip()
        if not value:
            return rows
        q = Q()
        for field in self.keyword_fields:
            q |= Q(**{f"{field}__contains": value})
        return rows.filter(q)

    def by_year(self, rows, name, value):
        return rows.filter(**{f"{self.date_field}__year": value})


class MeetingFilter(_Filter):
    q = _keyword()
    kind = choice_filter(_("会议类型"), MeetingKind.choices)
    year = _year()
    keyword_fields = ("title", "topics", "decisions")
    date_field = "held_on"

    class Meta:
        model = Meeting
        fields = []


class MeetingInstructionFilter(_Filter):
    q = _keyword()
    status = choice_filter(_("状态"), InstructionStatus.choices)
    overdue = FieldFilter(forms.BooleanField, label=_("仅超期未落实"), method="by_overdue")
    keyword_fields = ("text", "assignee_name", "given_by_name", "meeting__title")
    date_field = "meeting__held_on"
    id_prefix = "meeting__"

    closed_until = hidden_day(_("办结截止日期"), method="by_closed")

    class Meta:
        model = MeetingInstruction
        fields = []

    def by_day(self, rows, name, value):
        """``until`` also bounds the day an instruction was given, as ``reports.selectors.instructions``
        counts them."""
        rows = super().by_day(rows, name, value)
        return rows.filter(given_on__lte=value) if name == "until" else rows

    def by_closed(self, rows, name, value):
        """The instructions closed by the day (the work report's "已办结")."""
        return rows.filter(closed_on__lte=value)

    def by_overdue(self, rows, name, value):
        if not value:
            return rows
        return rows.filter(status=InstructionStatus.OPEN, due_on__lt=timezone.localdate())


class RegulationFilter(_Filter):
    """The rules registry's search: 关键词 over name, number and issuer; status; year of issue."""

    q = _keyword(_("名称、文号或发文机关"))
    status = choice_filter(_("状态"), RegulationStatus.choices)
    year = _year()
    keyword_fields = ("name", "number", "issuer")
    date_field = "issued_on"

    class Meta:
        model = Regulation
        fields = []


class ExposureFilter(_Filter):
    q = _keyword()
    channel = choice_filter(_("曝光渠道"), ExposureChannel.choices)
    year = _year()
    media = hidden_flag(_("媒体公开曝光"), method="by_media")
    keyword_fields = ("title", "summary", "people_named", "outlet")
    date_field = "published_on"

    class Meta:
        model = CaseExposure
        fields = []

    def by_media(self, rows, name, value):
        """The cases exposed in the central or local media (the work report's "在中央和地方媒体…曝光")."""
        if not value:
            return rows
        return rows.filter(channel__in=(ExposureChannel.CENTRAL_MEDIA, ExposureChannel.LOCAL_MEDIA))
