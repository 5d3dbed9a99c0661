"""The columns of the account list (账号与角色): its order, paging and what its exports hold."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lijian.core.lists import Column, ListSpec
from lijian.documents.exports import export_response


def _roles(account) -> str:
    """The account's active roles, one per line: the role and where it holds (全系统 for none)."""
    return "\n".join(
        f"{a.get_role_display()} · {a.organization.name if a.organization else gettext('全系统')}"
        for a in account.active_roles
    )


def _state(account) -> str:
    if not account.is_active:
        return gettext("已停用")
    return gettext("已锁定") if account.locked else gettext("正常")


USERS = ListSpec(
    template="accounts/user_list.html",
    order=("username",),
    columns=(
        Column("username", _("用户名")),
        Column("full_name", _("姓名")),
        Column("roles", _("角色"), _roles),
        Column("state", _("状态"), _state),
        Column("last_login", _("最近登录")),
    ),
    exporter=export_response,
    filename="accounts",
    table_id="user-list",
)
