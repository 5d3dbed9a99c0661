"""``lijian demo-otp USERNAME``: the current code of a demo account's authenticator."""

import time

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lijian.accounts.models import User


def current_code(device: TOTPDevice) -> tuple[str, int]:
    """The code the device shows now and the seconds it stays valid."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    remaining = device.step - int(time.time() - device.t0) % device.step
    return f"{totp.token():0{device.digits}d}", remaining


class Command(BaseCommand):
    help = (
        "打印演示账号当前的动态验证码（仅限 lijian demo 创建的账号），便于没有手机身份验证器时试用。"
        "对其他账号一律拒绝。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="演示账号的用户名，例如 admin、xunshiban")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username=username).first()
        # The same refusal for an unknown name and a real account: the command is no way to learn
        # which accounts exist, and never prints a code for one that is not a demo account.
        if user is None or not user.demo_account:
            raise CommandError(
                f"“{username}”不是 lijian demo 创建的演示账号，不能在服务器上读取它的动态验证码。"
            )
        # The confirmed authenticator; else the one being enrolled (first log-in, not confirmed yet).
        device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "-pk").first()
        if device is None:
            raise CommandError(f"演示账号“{username}”没有绑定身份验证器，登录时不需要动态验证码。")
        code, remaining = current_code(device)
        self.stdout.write(f"{code}")
        self.stderr.write(f"演示账号 {username} 的动态验证码，{remaining} 秒内有效；每个验证码只能使用一次。")
