import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from lijian.core.management.commands._progress import TerminalProgress
from lijian.documents.ledger.importer import ledger_import

# The user model through Django's setting: documents sits below accounts and imports none of it.
User = get_user_model()


def command_actor(username: str | None) -> User:
    """The account a command acts as: ``--user``, else the only active superuser or administrator."""
    if username:
        try:
            return User.objects.get(username=username, is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"没有名为“{username}”的有效账号。") from exc
    candidates = list(User.objects.filter(is_active=True, is_superuser=True)) or list(
        User.objects.filter(
            is_active=True, roles__role="administrator", roles__organization__isnull=True, roles__active=True
        ).distinct()
    )
    if len(candidates) != 1:
        raise CommandError("请用 --user 指定以哪个账号的身份操作（需要全系统管理员或相应权限）。")
    return candidates[0]


class Command(BaseCommand):
    help = "导入台账（文件夹、.zip、.xlsx 或 .csv）：全部或全不，逐行报告错误。"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--user", help="以此账号身份导入（默认：唯一的全系统管理员）")

    def handle(self, *args, path, user=None, **options):
        actor = command_actor(user)
        with TerminalProgress(self.stderr) as progress:
            report = ledger_import(path, actor=actor, progress=progress)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            if report.error_count > len(report.errors):
                self.stderr.write(f"……另有 {report.error_count - len(report.errors)} 处错误未列出。")
            self.stderr.write(self.style.ERROR(f"发现 {report.error_count} 处错误，没有导入任何数据。"))
            sys.exit(1)
        for name in report.files:
            c = report.counts.get(name, {})
            self.stdout.write(
                f"{name}: 新增 {c.get('created', 0)}，更新 {c.get('updated', 0)}，移动 {c.get('moved', 0)}"
            )
        self.stdout.write(self.style.SUCCESS("导入完成。"))
