"""The findings files of the ledger bundle: problems.csv and clues.csv."""

from . import clues, problems  # noqa: F401  each registers its file
