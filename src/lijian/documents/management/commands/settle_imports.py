from django.core.management.base import BaseCommand

from lijian.documents.services import ledger_jobs_settle_interrupted


class Command(BaseCommand):
    help = "结清服务器停止时仍显示“进行中”的台账导入（lijian serve 启动后台任务进程前自动运行）。"

    def handle(self, *args, **options):
        settled = ledger_jobs_settle_interrupted()
        if settled:
            self.stdout.write(f"已结清 {settled} 个被中断的台账导入。")
