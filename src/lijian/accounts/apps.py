from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lijian.core.permissions import register_grants
from lijian.core.registry import register_home


class AccountsConfig(AppConfig):
    name = "lijian.accounts"
    label = "accounts"
    verbose_name = _("账号与角色")

    def ready(self):
        from lijian.core.audit import register_actions

        from . import checks  # noqa: F401  (registers the system checks)
        from .home import home_scope
        from .selectors import grants_for_user

        register_grants(grants_for_user)  # the permission engine reads the role table held here

        register_actions(
            {
                "user.create": _("新建账号"),
                "user.login": _("登录"),
                "user.logout": _("退出登录"),
                "user.password": _("修改或重置密码"),
                "user.unlock": _("解除登录锁定"),
                "user.activate": _("启用账号"),
                "user.deactivate": _("停用账号"),
                "user.totp_enable": _("开启二次验证"),
                "user.totp_disable": _("关闭二次验证"),
                "role.grant": _("授予角色"),
                "role.request": _("申请授予可查看身份的角色"),
                "role.approve": _("审批同意角色授予"),
                "role.reject": _("审批拒绝角色授予"),
                "user.credentials_reissue": _("重新发放初始密码"),
                "role.revoke": _("收回角色"),
                "role.bootstrap": _("在服务器上设立首位巡视巡察办人员"),
            }
        )

        register_home("accounts.scope", home_scope, order=10)
