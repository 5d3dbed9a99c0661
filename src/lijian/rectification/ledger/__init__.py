"""The rectification files of the ledger bundle: tasks.csv, task_progress.csv, problem_status.csv,
feedbacks.csv, rectification_reports.csv, interviews.csv, accountability.csv and self_criticisms.csv."""

from . import accountability, interviews, progress, reports, self_criticisms, status, tasks  # noqa: F401  each registers its file
