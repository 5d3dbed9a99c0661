"""The inspection files of the ledger bundle: rounds.csv, groups.csv and inspections.csv."""

from . import groups, inspections, rounds  # noqa: F401  each registers its file
