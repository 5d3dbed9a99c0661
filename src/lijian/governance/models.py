"""The committee's own inspection work (M1, M2, M13): its meetings on inspection work and the
instructions arising from them, the rules it issues, and the typical cases it exposes. Every record
belongs to an inspection body (the committee's office, e.g. the city's 巡视办): whoever is in the
office of that body sees it (``selectors``)."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lijian.core.fields import optional_link, user_field

from .choices import ExposureChannel, InstructionStatus, MeetingKind, RegulationStatus


class Meeting(models.Model):
    """A meeting of the inspection work leading group, the standing committee or the secretary on
    inspection work: its topics, who attended and what it decided (its minutes are an attachment)."""

    body = models.ForeignKey(
        "orgs.InspectionBody", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="meetings"
    )
    held_on = models.DateField(_("会议日期"))
    kind = models.CharField(_("会议类型"), max_length=24, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    topics = models.TextField(_("议题"))
    attendees = models.TextField(_("出席人员"), blank=True)
    decisions = models.TextField(_("会议决定"), blank=True)
    recorded_by = user_field(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["body", "held_on"], name="gov_meeting_body_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "held_on", "title"],
                name="gov_one_meeting_per_title_day",
                violation_error_message=_("该机构在同一天已有同名会议。"),
            )
        ]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("governance:meeting", kwargs={"pk": self.pk})


class MeetingInstruction(models.Model):
    """An instruction (批示/交办事项) arising from a meeting, given by a leader (an account, or only
    a name when the leader has none), charged to an organisation, a department or a person, and
    followed up until closed, as leaders' instructions on problems are."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="instructions"
    )
    given_by = user_field(_("批示领导账号"), blank=True)
    given_by_name = models.CharField(_("批示领导"), max_length=60)
    text = models.TextField(_("批示内容"))
    assignee = user_field(_("承办人账号"), blank=True)
    assignee_name = models.CharField(_("承办单位或人员"), max_length=120)
    given_on = models.DateField(_("批示日期"))
    due_on = models.DateField(_("落实期限"))
    status = models.CharField(
        _("状态"), max_length=16, choices=InstructionStatus.choices, default=InstructionStatus.OPEN
    )
    follow_up_asked = models.TextField(_("进一步的落实要求"), blank=True)
    answer = models.TextField(_("落实情况"), blank=True)
    answered_on = models.DateField(_("报送日期"), null=True, blank=True)
    answered_by = user_field(_("报送人"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    escalated_on = models.DateField(_("超期督办日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("会议批示")
        verbose_name_plural = _("会议批示")
        ordering = ["meeting", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="gov_instruction_due")]

    def __str__(self):
        return f"{self.given_by_name}：{self.text[:40]}"

    def get_absolute_url(self):
        return self.meeting.get_absolute_url() + f"#instruction-{self.pk}"

    @property
    def body(self):
        return self.meeting.body


class Regulation(models.Model):
    """A rule or system (制度规定) the committee issued: its document number, date and whether it is
    in force, was revised (by ``replaced_by``) or repealed; the text is an attachment."""

    body = models.ForeignKey(
        "orgs.InspectionBody", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="regulations"
    )
    name = models.CharField(_("名称"), max_length=200)
    issuer = models.CharField(_("发文机关"), max_length=120)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    issued_on = models.DateField(_("印发日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=RegulationStatus.choices, default=RegulationStatus.IN_FORCE
    )
    status_on = models.DateField(_("修订或废止日期"), null=True, blank=True)
    replaced_by = optional_link("self", _("修订后的制度"), "replaces")
    summary = models.TextField(_("主要内容"), blank=True)
    recorded_by = user_field(_("登记人"))

    class Meta:
        verbose_name = _("制度规定")
        verbose_name_plural = _("制度规定")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "name", "issued_on"],
                name="gov_one_rule_per_name_day",
                violation_error_message=_("该机构在同一天已印发同名制度。"),
            )
        ]

    def __str__(self):
        return f"{self.name}（{self.number}）" if self.number else self.name

    def get_absolute_url(self):
        return reverse("governance:regulation", kwargs={"pk": self.pk})


class CaseExposure(models.Model):
    """A typical case exposed (通报曝光): the case, the people and organisation it names, where and
    when it was published, and (optionally) the problem or accountability record behind it."""

    body = models.ForeignKey(
        "orgs.InspectionBody", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="exposures"
    )
    title = models.CharField(_("案例"), max_length=200)
    summary = models.TextField(_("基本情况"))
    people_named = models.TextField(_("涉及人员"), blank=True)
    organization = optional_link("orgs.Organization", _("涉及党组织"), "exposures")
    channel = models.CharField(_("曝光渠道"), max_length=24, choices=ExposureChannel.choices)
    outlet = models.CharField(_("发布平台"), max_length=200)
    published_on = models.DateField(_("发布日期"))
    problem = optional_link("findings.Problem", _("关联问题"), "exposures")
    accountability = optional_link("rectification.Accountability", _("关联问责"), "exposures")
    recorded_by = user_field(_("登记人"))

    class Meta:
        verbose_name = _("通报曝光")
        verbose_name_plural = _("通报曝光")
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "title", "published_on"],
                name="gov_one_exposure_per_title_day",
                violation_error_message=_("该机构在同一天已发布同名案例。"),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("governance:exposure", kwargs={"pk": self.pk})
