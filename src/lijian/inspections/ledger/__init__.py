"""The inspection files of the ledger bundle: org_risks.csv, rounds.csv, standing_groups.csv, groups.csv
and inspections.csv."""

from . import groups, inspections, risks, rounds, standing_groups  # noqa: F401  each registers its file
