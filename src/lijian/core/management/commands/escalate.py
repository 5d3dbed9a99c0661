import datetime
import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from lijian.core.daily import daily_run, daily_run_if_due, summary

log = logging.getLogger("lijian.daily")


def _day(value: str | None) -> datetime.date:
    """``value`` (YYYY-MM-DD) as a date; today when it is empty or no date (the caller refuses the latter)."""
    try:
        return datetime.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


class Command(BaseCommand):
    help = (
        "每日督办：移交线索超过反馈期限未反馈的标记为超期督办；整改任务、整改报告、深刻检查超期的，"
        "向被巡视巡察党组织的联络员、协作部门经办人和巡视巡察办工作人员发站内通知；领导批示超过落实期限的，"
        "通知承办人和批示领导。每人每天收到一条汇总消息，列出当天新超期的事项；每件事每人只通知一次，"
        "可重复运行。--daily 常驻运行、每天一次（lijian serve 会自动启动它，无需 cron）；"
        "每次运行记入审计日志（每日督办），重启或多处同时运行也不会重复。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天判断超期 YYYY-MM-DD（默认：今天）")
        parser.add_argument(
            "--daily", action="store_true", help="常驻运行：每天运行一次（当天已运行过则跳过）"
        )
        parser.add_argument(
            "--interval", type=int, default=600, help="--daily 时检查是否已到新的一天的间隔（秒，默认 600）"
        )

    def handle(self, *args, date=None, daily=False, interval=600, **options):
        if daily:
            return self.loop(max(interval, 1))
        on = _day(date)
        if date and on.isoformat() != date:
            raise CommandError(f"日期“{date}”无效，应为 YYYY-MM-DD。")
        self.stdout.write(f"{on}  {summary(daily_run(on))}")

    def loop(self, interval: int) -> None:
        self.stdout.write(f"每日督办已启动：每 {interval} 秒检查一次，每天运行一次。")
        self.stdout.flush()
        while True:
            try:
                counts = daily_run_if_due(timezone.localdate())
            except Exception:  # a locked or unreachable database: try again at the next check
                log.exception("每日督办运行失败，稍后重试")
            else:
                if counts is not None:
                    self.stdout.write(f"{timezone.localdate()}  {summary(counts)}")
                    self.stdout.flush()
            close_old_connections()
            time.sleep(interval)
