"""双公开: the office discloses an inspection's rectification inside the party or to the public.

A disclosure shows only what the office wrote and chose: its text, optionally the two rates as they
stood on the day it was published, and the summaries of the problems it picked. Clues, petitions,
evidence, tasks and people's names never reach it unless the office typed them into its text.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lijian.core.audit import audit_record, create_audited
from lijian.findings.choices import ProblemStatus, Review

from . import selectors
from .choices import Audience
from .models import Disclosure
from .rates import rectification_rates
from .validators import check_not_future


def disclosable_problems(inspection):
    return (
        inspection.problems.filter(review=Review.APPROVED).exclude(status=ProblemStatus.OPEN).order_by("ref")
    )


def check_disclosure(inspection, published_on: datetime.date, problems) -> None:
    """Raise ``ValidationError`` before the inspection's feedback, for a future date or one before the
    feedback, or for a problem not fed back by this inspection: the rules of ``disclosure_publish``
    and disclosures.csv."""
    if inspection.feedback_date is None:
        raise ValidationError(_("反馈之前不能公开整改情况。"))
    check_not_future(published_on, "published_on")
    if published_on < inspection.feedback_date:
        raise ValidationError({"published_on": _("公开日期不能早于反馈日期。")})
    allowed = set(disclosable_problems(inspection).values_list("pk", flat=True))
    if any(p.pk not in allowed for p in problems):
        raise ValidationError({"problems": _("只能公开本次巡视巡察已反馈的问题。")})


@transaction.atomic
def disclosure_publish(
    *,
    actor,
    inspection,
    audience: str,
    title: str,
    text: str,
    published_on: datetime.date,
    show_rates: bool = True,
    problems=(),
) -> Disclosure:
    """Publish a disclosure of a fed-back inspection (the office of its body).

    Raises ``ValidationError`` before feedback, for a future date or one before the feedback, without
    a title or text, or for a problem not fed back by this inspection; ``PermissionDenied`` unless
    the actor is in the office of the body."""
    selectors.DISCLOSE.check(actor, inspection)
    chosen = list(problems)
    check_disclosure(inspection, published_on, chosen)
    item = Disclosure(
        inspection=inspection,
        audience=audience,
        title=title.strip(),
        text=text.strip(),
        show_rates=show_rates,
        published_on=published_on,
        published_by=actor,
    )
    create_audited(
        actor=actor,
        instance=item,
        action="disclosure.publish",
        fields=("audience", "title", "published_on"),
        extra={"problems": [p.pk for p in chosen]},
        scope_path=inspection.organization.path,
    )
    item.problems.set(chosen)
    return item


@transaction.atomic
def disclosure_withdraw(*, actor, disclosure: Disclosure) -> Disclosure:
    """Take a disclosure down (it stays in the records, no longer shown).

    Raises ``PermissionDenied`` unless the actor is in the office of the body, and ``ValidationError``
    when it is already withdrawn."""
    selectors.DISCLOSE.check(actor, disclosure)
    if disclosure.withdrawn_on is not None:
        raise ValidationError(_("该公开已撤回。"))
    disclosure.withdrawn_on = timezone.localdate()
    disclosure.save(update_fields=["withdrawn_on"])
    audit_record(
        actor=actor,
        action="disclosure.withdraw",
        obj=disclosure,
        after={"withdrawn_on": disclosure.withdrawn_on.isoformat()},
        scope_path=disclosure.inspection.organization.path,
    )
    return disclosure


def public_disclosures(organization) -> QuerySet[Disclosure]:
    """What anyone may read about ``organization`` without logging in."""
    return (
        Disclosure.objects.filter(
            inspection__organization=organization,
            audience=Audience.PUBLIC,
            withdrawn_on__isnull=True,
            published_on__lte=timezone.localdate(),
        )
        .select_related("inspection__round__body", "inspection__round__term")
        .prefetch_related("problems")
        .order_by("-published_on", "-pk")
    )


def disclosed_rates(disclosure: Disclosure):
    """The rates as they stood on the day of publication (never later figures), or ``None``."""
    if not disclosure.show_rates:
        return None
    inspection = disclosure.inspection
    return rectification_rates(
        inspection.organization, inspection.round.body, inspection.round.term, disclosure.published_on
    )
