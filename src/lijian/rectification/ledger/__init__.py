"""The rectification files of the ledger bundle: tasks.csv, task_progress.csv, problem_status.csv,
feedbacks.csv, rectification_reports.csv, interviews.csv, accountability.csv, self_criticisms.csv,
supervisions.csv, evaluations.csv and disclosures.csv."""

from . import (  # noqa: F401  each registers its file
    accountability,
    disclosures,
    evaluations,
    interviews,
    progress,
    reports,
    self_criticisms,
    status,
    supervisions,
    tasks,
)
