"""The talent-pool files of the ledger bundle: cadres.csv and conflicts.csv."""

from . import cadres, conflicts  # noqa: F401  each registers its file
