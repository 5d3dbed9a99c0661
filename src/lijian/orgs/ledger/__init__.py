"""The organisation files of the ledger bundle: organizations.csv, bodies.csv and terms.csv."""

from . import bodies, organizations, terms  # noqa: F401  each registers its file
from .organizations import path_step, step_number

__all__ = ["path_step", "step_number"]
