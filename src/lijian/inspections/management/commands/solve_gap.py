import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lijian.inspections.planner.gap import read_orlib, solve_gap


class Command(BaseCommand):
    help = "用编组求解器的指派核心求解 OR-Library 格式的广义指派问题（最小化），输出目标值、下界和用时。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--time-limit", type=float, default=60.0, help="求解时限（秒），默认 60")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, file, time_limit, json=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        try:
            instance = read_orlib(path.read_text())
        except ValueError as exc:
            raise CommandError(f"{file} 不是 OR-Library 广义指派格式：{exc}") from exc
        result = solve_gap(instance.costs, instance.weights, instance.capacities, time_limit=time_limit)
        data = {
            "instance": path.stem,
            "agents": instance.agents,
            "items": instance.items,
            "status": result.status,
            "objective": result.objective,
            "bound": result.bound,
            "gap": result.gap,
            "seconds": round(result.seconds, 2),
            "assignment": result.assignment,
        }
        if json:
            self.stdout.write(_dumps(data))
        else:
            gap = f"{result.gap:.2%}" if result.gap is not None else "-"
            self.stdout.write(
                f"{path.stem}: {result.status} objective {_number(result.objective)} "
                f"bound {_number(result.bound)} gap {gap} in {result.seconds:.1f} s"
            )
        if result.status not in ("optimal", "feasible"):
            raise CommandError(f"没有找到可行解（{result.status}）。")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)


def _number(value: float | None) -> str:
    """Costs are integers: print 6235, not 6235.0."""
    if value is None:
        return "-"
    return str(int(value)) if float(value).is_integer() else str(value)
