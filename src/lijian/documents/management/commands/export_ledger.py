from django.core.management.base import BaseCommand

from lijian.core.management.commands._progress import TerminalProgress
from lijian.documents.ledger.importer import ledger_export
from lijian.documents.management.commands.import_ledger import command_actor


class Command(BaseCommand):
    help = "导出台账到文件夹、.zip 或 .xlsx（按文件扩展名）。"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--user", help="以此账号身份导出（默认：唯一的全系统管理员）")

    def handle(self, *args, path, user=None, **options):
        with TerminalProgress(self.stderr) as progress:
            written = ledger_export(path, actor=command_actor(user), progress=progress)
        for name, n in written.items():
            self.stdout.write(f"{name}: {n} 行")
        self.stdout.write(self.style.SUCCESS(f"已导出到 {path}"))
