"""The figures a user may see, and the reference date and term a request asks for."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils import timezone

from lijian.core.permissions import Perm
from lijian.orgs.selectors import body_get, term_current


def reference_date(value: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def body_and_term(user, pk: int, term_id: int | None):
    """The body (404 outside the user's figure scope) and the requested term, else the current one.

    Raises ``Http404`` when ``term_id`` names no term of the body (a term is never silently
    swapped for another)."""
    body = body_get(user, pk=pk, perm=Perm.FIGURES_VIEW)
    terms = body.terms.order_by("-start")
    if term_id is not None:
        term = terms.filter(pk=term_id).first()
        if term is None:
            raise Http404
        return body, term
    term = term_current(body) or terms.first()
    if term is None:
        raise Http404
    return body, term
