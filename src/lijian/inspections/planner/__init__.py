"""The optimiser of rounds and groups (DESIGN.md §4): plain data in, plans and reasons out, solved
with OR-Tools CP-SAT. Nothing here imports Django; ``inspections.planning`` feeds it from the database."""
