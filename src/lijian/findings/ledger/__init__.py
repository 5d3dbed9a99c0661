"""The findings files of the ledger bundle: departments.csv, categories.csv, problems.csv and clues.csv."""

from . import categories, clues, departments, problems  # noqa: F401  each registers its file
