"""``lijian restore FILE [--force]``: replace the database with a backup, then verify its ledger."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lijian.core.backup import BackupError, restore
from lijian.core.ledger import verify


class Command(BaseCommand):
    requires_system_checks = []
    help = "用 lijian backup 生成的备份替换整个数据库（请先停止服务）；数据库中已有数据时须加 --force。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件")
        parser.add_argument("--force", action="store_true", help="覆盖已有数据的数据库。")

    def handle(self, *args, file, force=False, **options):
        try:
            restore(Path(file), force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        result = verify()
        if not result.ok:
            raise CommandError(f"已恢复，但审计账本校验未通过：{result.first_bad.message}")
        self.stdout.write(
            self.style.SUCCESS(
                f"已从 {file} 恢复；审计账本完好：{result.checked} 条事件，链尾第 {result.head_seq} 号。"
            )
        )
