"""The Tianjin demo world (``lijian demo``), built through the same services and ledger import as real
data. Each part is idempotent: running the demo again changes nothing."""
