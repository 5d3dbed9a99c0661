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
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="只检查并预览将新增、更新的条数和取值的对应，不写入任何数据",
        )

    def handle(self, *args, path, user=None, dry_run=False, **options):
        actor = command_actor(user)
        with TerminalProgress(self.stderr) as progress:
            report = ledger_import(path, actor=actor, progress=progress, dry_run=dry_run)
        for sheet in report.unimported:
            guess = f"（是不是：{sheet['suggestion']}？）" if sheet["suggestion"] else ""
            self.stderr.write(
                self.style.WARNING(f"未导入的工作表：{sheet['sheet']} —— {sheet['reason']}{guess}")
            )
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
        for m in report.mappings:
            self.stdout.write(
                f"{m['file']} [{m['column']}] “{m['text']}” → {m['meaning']}（{m['cells']} 处）"
            )
        if dry_run:
            self.stdout.write(self.style.SUCCESS("检查通过，未写入任何数据（预览）。"))
            return
        self.stdout.write(self.style.SUCCESS("导入完成。"))
