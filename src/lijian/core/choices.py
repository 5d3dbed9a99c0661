"""Transition tables: every workflow declares which status may follow which, and one place enforces it."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


class TransitionTable:
    """The allowed moves between the values of one ``TextChoices`` status enum.

    ``TransitionTable(Status, {Status.A: {Status.B}, ...})``; a status missing from the mapping is
    final. ``check`` raises ``ValidationError`` with a Chinese message naming both statuses.
    """

    def __init__(self, status: type[models.TextChoices], allowed: Mapping[str, set[str]]):
        unknown = {s for pair in allowed.items() for s in (pair[0], *pair[1])} - set(status.values)
        if unknown:
            raise ValueError(f"unknown statuses in transition table: {sorted(unknown)}")
        self.status = status
        self.allowed = {k: frozenset(v) for k, v in allowed.items()}

    def can(self, current: str, target: str) -> bool:
        return target in self.allowed.get(current, frozenset())

    def check(self, current: str, target: str) -> None:
        if not self.can(current, target):
            raise ValidationError(
                _("不能从“%(current)s”转为“%(target)s”。")
                % {"current": self.status(current).label, "target": self.status(target).label},
                code="transition",
            )

    def pairs(self) -> set[tuple[str, str]]:
        return {(a, b) for a, targets in self.allowed.items() for b in targets}
