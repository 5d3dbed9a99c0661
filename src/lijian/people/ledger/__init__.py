"""The talent-pool files of the ledger bundle: cadres.csv, supervision_lines.csv and conflicts.csv."""

from . import cadres, conflicts, supervision_lines  # noqa: F401  each registers its file
