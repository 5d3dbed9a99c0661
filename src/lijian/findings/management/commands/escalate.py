from django.core.management.base import BaseCommand, CommandError

from lijian.analytics.selectors import reference_date
from lijian.findings.services import clues_escalate_overdue


class Command(BaseCommand):
    help = "每日督办：把超过反馈期限仍未反馈的移交线索标记为超期督办（每条只标记一次，可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天判断超期 YYYY-MM-DD（默认：今天）")

    def handle(self, *args, date=None, **options):
        on = reference_date(date)
        if date and on.isoformat() != date:
            raise CommandError(f"日期“{date}”无效，应为 YYYY-MM-DD。")
        escalated = clues_escalate_overdue(today=on)
        for clue in escalated:
            self.stdout.write(
                f"{clue.ref}  {clue.department.name}  期限 {clue.due_on}  {clue.inspection.organization.name}"
            )
        self.stdout.write(f"新增超期督办 {len(escalated)} 条。")
