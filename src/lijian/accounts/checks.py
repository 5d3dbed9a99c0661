"""System checks of the account settings (``lijian check``)."""

from django.conf import settings
from django.core.checks import Error, register

from .choices import Role


@register()
def totp_roles_are_known(app_configs, **kwargs):
    """A misspelt role in ``LIJIAN_TOTP_REQUIRED_ROLES`` would silently leave that role without the
    second factor: refuse to start instead."""
    unknown = sorted(set(settings.TOTP_REQUIRED_ROLES) - set(Role.values))
    if not unknown:
        return []
    return [
        Error(
            f"LIJIAN_TOTP_REQUIRED_ROLES 含有未知的角色：{', '.join(unknown)}。",
            hint=f"可用的角色：{', '.join(Role.values)}。",
            id="lijian.accounts.E001",
        )
    ]
