import json

from django.core.management.base import BaseCommand, CommandError

from lijian.analytics.figures import all_figures
from lijian.analytics.selectors import reference_date
from lijian.orgs.models import InspectionBody
from lijian.orgs.selectors import term_current


class Command(BaseCommand):
    help = "打印某机构在某届、某参考日期的全部统计数字（键名稳定，见 README）。"

    def add_arguments(self, parser):
        parser.add_argument("--body", required=True, help="机构代码，如 TJ-XSB")
        parser.add_argument("--term", help="届次名称（默认：参考日期所在的届次）")
        parser.add_argument("--date", help="参考日期 YYYY-MM-DD（默认：今天）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, body, term=None, date=None, json=False, **options):
        found = InspectionBody.objects.filter(code=body).select_related("owner_org").first()
        if found is None:
            raise CommandError(f"没有代码为“{body}”的机构。")
        on = reference_date(date)
        if date and on.isoformat() != date:
            raise CommandError(f"日期“{date}”无效，应为 YYYY-MM-DD。")
        chosen = found.terms.filter(name=term).first() if term else term_current(found, on)
        if chosen is None:
            raise CommandError(
                f"机构“{body}”没有届次“{term}”。"
                if term
                else f"{on} 不在机构“{body}”的任何届次内，请用 --term 指定。"
            )
        figures = all_figures(found, chosen, on)
        if json:
            self.stdout.write(_dumps(figures))
            return
        for key, value in figures.items():
            self.stdout.write(f"{key}: {value}")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
