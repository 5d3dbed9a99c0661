"""``lijian bootstrap-office USERNAME ORG_CODE``: the first office holder of a fresh installation."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lijian.accounts.services import office_bootstrap


class Command(BaseCommand):
    help = (
        "在服务器上设立某组织的首位巡视巡察办人员（可查看信访人身份、审批同类角色）：仅当该组织及其上级"
        "尚无巡视巡察办人员时可用，此后一律由管理员申请、巡视巡察办人员审批。账号不存在时新建；"
        "系统管理员账号不能设立。打印一次性初始密码，首次登录须修改密码并绑定身份验证器。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="账号的用户名（不存在时新建）")
        parser.add_argument("org_code", help="组织代码，例如 120101（角色范围为该组织及其下级）")
        parser.add_argument("--full-name", default="", help="新建账号时的姓名")

    def handle(self, *args, username: str, org_code: str, full_name: str, **options):
        try:
            user, password = office_bootstrap(username=username, org_code=org_code, full_name=full_name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        # The password alone on stdout (a script can take it); what to do with it on stderr.
        self.stdout.write(password)
        self.stderr.write(
            f"已设立 {user.get_username()} 为组织 {org_code} 的巡视巡察办人员。以上为一次性初始密码，只显示这一次："
            "请当面交给本人；首次登录须修改密码并绑定手机身份验证器。已记入审计日志（role.bootstrap）。"
        )
