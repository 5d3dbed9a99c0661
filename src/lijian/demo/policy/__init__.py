"""How the demo world behaves: seeded, deterministic decisions over plain values, written by nobody
(the modules of ``lijian.demo`` write them through the services)."""
