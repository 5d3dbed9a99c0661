"""The rectification files of the ledger bundle: tasks.csv, problem_status.csv, interviews.csv and
accountability.csv."""

from . import accountability, interviews, status, tasks  # noqa: F401  each registers its file
