"""The rectification files of the ledger bundle: tasks.csv, task_progress.csv, problem_status.csv,
feedbacks.csv, rectification_reports.csv, interviews.csv, accountability.csv, self_criticisms.csv,
supervisions.csv, evaluations.csv, disclosures.csv, instructions.csv and task_events.csv."""

from . import (  # noqa: F401  each registers its file
    accountability,
    disclosures,
    evaluations,
    events,
    instructions,
    interviews,
    progress,
    reports,
    self_criticisms,
    status,
    supervisions,
    tasks,
)
