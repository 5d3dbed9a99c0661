"""The findings files of the ledger bundle: departments.csv, problems.csv and clues.csv."""

from . import clues, departments, problems  # noqa: F401  each registers its file
