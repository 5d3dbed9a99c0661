"""The optimiser of rounds and groups (DESIGN.md §4): plain data in, plans and reasons out, solved
with OR-Tools CP-SAT: ``staffing`` staffs one round's groups, ``coverage`` places the organisations a
term has not covered yet into its remaining rounds, ``gap`` is the assignment solver under it.
Nothing here imports Django; ``inspections.round_staffing`` and ``inspections.term_coverage`` feed it
from the database."""
