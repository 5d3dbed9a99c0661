"""The governance files of the ledger bundle: meetings.csv, meeting_instructions.csv,
regulations.csv and exposures.csv (one module per file, each registering its file)."""

from . import exposures, instructions, meetings, regulations  # noqa: F401  each registers its file
