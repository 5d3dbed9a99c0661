"""The petition file of the ledger bundle: petitions.csv."""

from . import petitions  # noqa: F401  registers its file
