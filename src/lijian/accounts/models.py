from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Role


class User(AbstractUser):
    """A person who signs in. Chinese names are one field (``full_name``), not first and last."""

    full_name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    # A one-time password given by someone else (a liaison account the office created): every page
    # but the profile's password form is refused until the user sets their own.
    must_change_password = models.BooleanField(_("须修改初始密码"), default=False)
    # Made by ``lijian demo``: only such accounts may have their current code printed on the server
    # (``lijian demo-otp``), so a demo can be tried without a phone app.
    demo_account = models.BooleanField(_("演示账号"), default=False, editable=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """A role held by a user over the subtree rooted at ``organization``.

    ``organization`` is empty only for roles in ``GLOBAL_ROLES`` granted over the whole system.
    ``body`` names the inspection body the role works for, where that matters (office staff).
    """

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("范围（组织及其下级）"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    body = models.ForeignKey(
        "orgs.InspectionBody",
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("授予时间"), default=timezone.now)
    granted_by = models.ForeignKey(
        User, verbose_name=_("授予人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(_("有效"), default=True)
    # A role that can reveal petitioners' identities takes effect only when a second person, an
    # office holder over its scope, approves it (``services.role_approve``): until then it is
    # inactive and awaiting approval.
    awaiting_approval = models.BooleanField(_("待审批"), default=False)
    approved_by = models.ForeignKey(
        User, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("角色授予")
        verbose_name_plural = _("角色授予")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organization"], name="role_assignment_unique"),
        ]

    def __str__(self):
        scope = self.organization.name if self.organization_id else _("全部")
        return f"{self.user} · {self.get_role_display()} · {scope}"


class PasswordHistory(models.Model):
    """A hash a user's password field held (the current one included), so the last few cannot be
    chosen again (``passwords.HistoryValidator``). Only hashes are kept, never a password."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    password = models.CharField(max_length=128)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        indexes = [models.Index(fields=["user", "changed_at"])]

    def __str__(self):
        return f"{self.user} · {self.changed_at:%Y-%m-%d %H:%M}"
