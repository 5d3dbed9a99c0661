"""Model fields many records declare alike: who did something, and an optional link to the record
that caused it. Each factory returns a fresh field that deconstructs exactly as the hand-written one,
so using it changes no migration.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


def user_field(verbose_name, *, blank: bool = False) -> models.ForeignKey:
    """A user who did something (recorded, reviewed, reported…): kept empty when the account goes,
    never reached back from the user (``related_name="+"``)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name="+",
    )


def optional_link(to, verbose_name, related_name: str, *, on_delete=models.PROTECT) -> models.ForeignKey:
    """An optional link to the record behind this one (its inspection, problem, task…), which by default
    cannot be deleted while linked."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name=related_name,
    )
