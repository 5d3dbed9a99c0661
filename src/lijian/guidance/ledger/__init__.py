"""The guidance files of the ledger bundle."""
