"""Rules of rounds, written once: the round model's ``clean`` (so the round services) and the
rounds.csv importer call these functions. Each is a pure function over values and raises django's
``ValidationError`` keyed by the model field it concerns."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The linkage mode (LinkageMode.code) in which a round continues its upper round (接力巡).
RELAY = "relay"


def check_relay_upper(linkage_code: str | None, has_upper: bool) -> None:
    """Raise ``ValidationError`` (on ``upper_round``) for a relay round that names no upper round."""
    if linkage_code == RELAY and not has_upper:
        raise ValidationError({"upper_round": _("接力巡须指明接续的上级轮次。")})
