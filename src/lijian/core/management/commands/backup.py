"""``lijian backup [--out FILE]``: a consistent copy of the whole database in one file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lijian.core.backup import BackupError, backup, default_name
from lijian.core.ledger import verify


class Command(BaseCommand):
    requires_system_checks = []
    help = "把整个数据库备份到一个文件（SQLite 用在线备份，PostgreSQL 用 pg_dump 自定义格式），服务无需停止。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", help="备份文件（默认：当前目录下的 lijian-日期-时间.sqlite3 或 .dump）。"
        )

    def handle(self, *args, out=None, **options):
        result = verify()  # record what the copy holds, and warn before a broken ledger is archived
        try:
            path = backup(Path(out or default_name()))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已备份到 {path}（{path.stat().st_size} 字节）；审计账本 {result.checked} 条，"
            f"链尾第 {result.head_seq} 号，哈希 {result.head_hash or '—'}。"
        )
        if not result.ok:
            self.stderr.write(f"注意：审计账本校验未通过：{result.first_bad.message}")
