from django.core.management.base import BaseCommand

from lijian.documents.jobs import job_errors_settle_interrupted
from lijian.documents.official import versions_settle_interrupted
from lijian.documents.services import ledger_jobs_settle_interrupted


class Command(BaseCommand):
    help = (
        "结清服务器停止时仍显示“进行中”的台账导入，并重新排队未生成完的公文文件"
        "（lijian serve 启动后台任务进程前自动运行）。"
    )

    def handle(self, *args, **options):
        settled = ledger_jobs_settle_interrupted()
        if settled:
            self.stdout.write(f"已结清 {settled} 个被中断的台账导入。")
        unbuilt = job_errors_settle_interrupted()
        if unbuilt:
            self.stdout.write(f"{unbuilt} 个台账导入的错误表格未生成完，将在下载时生成。")
        requeued = versions_settle_interrupted()
        if requeued:
            self.stdout.write(f"已重新排队 {requeued} 个未生成完的公文版本。")
