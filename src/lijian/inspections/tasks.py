"""The path under which earlier versions queued the staffing task: a run queued before an upgrade
still finds it. The task lives beside its runner, ``round_staffing.run_plan``."""

from .round_staffing import run_plan

__all__ = ["run_plan"]
