"""The ledger bundle framework, as the apps' ledger files use it: ``from lijian.documents import ledger``,
then ``ledger.Column`` (``ledger.filled`` for one every row fills), ``ledger.register(ledger.LedgerFile(...))``, ``ledger.upsert``. The importer and
exporter (``ledger.importer``) and the bundle files (``ledger.bundle``) stay in their own modules.
"""

from .reader import converter, report_duplicate, validated
from .records import upsert
from .registry import (
    BOOL,
    DATE,
    INT,
    INVALID,
    TEXT,
    Column,
    ExportContext,
    ImportContext,
    LedgerFile,
    Unique,
    filled,
    iso,
    register,
)

__all__ = [
    "BOOL",
    "DATE",
    "INT",
    "INVALID",
    "TEXT",
    "Column",
    "ExportContext",
    "ImportContext",
    "LedgerFile",
    "Unique",
    "converter",
    "filled",
    "iso",
    "register",
    "report_duplicate",
    "upsert",
    "validated",
]
