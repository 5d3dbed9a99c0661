"""The Tianjin demo world (``lijian demo``), built through the same services and ledger import as real
data. Each part is idempotent: running the demo again changes nothing.

Three layers, so that what the world says, how it behaves and how it is written can be read apart:

- ``vocabulary``: names, organisations and texts (data; no database, no random draw of its own);
- ``policy``: the simulation's decisions (who does what when, rates, delays, shares), each a
  function of a seeded ``random.Random`` and plain values, drawing in a fixed order so the same
  seeds give the same world;
- the modules here (``tianjin``, ``accounts``, ``people``, ``rounds``, ``findings``, ``petitions``,
  ``patrol``, ``rectification``, ``oversight``): read the database, ask the policy, and write through
  the services and the ledger import.
"""
