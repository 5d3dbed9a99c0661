"""Every write of the common problems (以巡促改): a group of problems proposed as the theme of a special
round, which the inspections service opens, or as a system-level rectification item for the body's
committee (制度建设). Each checks the permission, validates, writes and audits in one transaction."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lijian.core.audit import create_audited
from lijian.findings.selectors import problems_visible
from lijian.inspections.choices import RoundKind
from lijian.inspections.services import round_add_targets, round_create
from lijian.orgs.selectors import term_current

from .common import PROPOSE, proposals_of_round, targets_of_proposals
from .models import CommonProblemProposal, ProposalKind

PROPOSAL_FIELDS = ("kind", "body", "title", "note", "responsible", "due_on", "round")


@transaction.atomic
def proposal_create(
    *,
    actor,
    kind: str,
    body,
    title: str,
    problems,
    note: str = "",
    responsible: str = "",
    due_on: datetime.date | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> CommonProblemProposal:
    """Propose the common problems ``problems`` for ``body``: as a special round (``kind`` special_round),
    opened as the next round of the body's term in course on ``start`` with ``title`` as its theme
    (``inspections.services.round_create``, which checks the dates), or as a system-level item
    (``kind`` system) with its lead unit and deadline. The problems it rests on are linked.

    Raises ``PermissionDenied`` unless the actor plans ``body``'s rounds (``common.PROPOSE``) and may
    see every problem, ``ValidationError`` for no problem, a system-level item without its lead unit
    or deadline, a special round without its dates or
    starting outside any term of the body (or refused by ``round_create``)."""
    PROPOSE.check(actor, body)
    problems = list(problems)
    if not problems:
        raise ValidationError({"problems": _("请至少选择一个问题。")})
    seen = set(problems_visible(actor).filter(pk__in=[p.pk for p in problems]).values_list("pk", flat=True))
    if len(seen) != len({p.pk for p in problems}):
        raise PermissionDenied(_("所选问题中有您无权查看的问题。"))
    round_ = None
    if kind == ProposalKind.SYSTEM:
        _check_system_item(responsible, due_on)
    if kind == ProposalKind.SPECIAL_ROUND:
        round_ = _special_round(actor, body, title, start, end)
    proposal = CommonProblemProposal(
        kind=kind,
        body=body,
        title=title.strip(),
        note=note.strip(),
        responsible=responsible.strip() if kind == ProposalKind.SYSTEM else "",
        due_on=due_on if kind == ProposalKind.SYSTEM else None,
        round=round_,
        proposed_by=actor,
    )
    create_audited(
        actor=actor,
        instance=proposal,
        action="common.propose",
        fields=PROPOSAL_FIELDS,
        extra={"problems": sorted(p.ref for p in problems)},
        scope_path=body.owner_org.path,
    )
    proposal.problems.set(problems)
    return proposal


def _check_system_item(responsible: str, due_on) -> None:
    """A system-level item names who leads it and by when: without them nobody follows it up."""
    errors = {}
    if not responsible.strip():
        errors["responsible"] = _("制度建设事项须填写牵头单位。")
    if due_on is None:
        errors["due_on"] = _("制度建设事项须填写完成时限。")
    if errors:
        raise ValidationError(errors)


def _special_round(actor, body, title: str, start, end):
    """The body's next round in the term in course on ``start``, a special one themed ``title``."""
    if start is None or end is None:
        raise ValidationError({"start": _("专项巡视巡察须填写开始日期和结束日期。")})
    term = term_current(body, start)
    if term is None:
        raise ValidationError({"start": _("开始日期不在本机构任何一届之内。")})
    last = body.rounds.filter(term=term).aggregate(n=Max("number"))["n"] or 0
    return round_create(
        actor=actor,
        body=body,
        term=term,
        number=last + 1,
        kind=RoundKind.SPECIAL,
        start=start,
        end=end,
        theme=title,
    )


def round_targets_from_proposals(*, actor, round_) -> list:
    """Put on ``round_``'s targets the organisations where the common problems it was opened from
    were found (those under its body's committee not yet targets), through the round's own service
    (``inspections.services.round_add_targets``, which checks the actor and the round's state and
    raises ``PermissionDenied`` or ``ValidationError``). The inspections created, none when none is
    left to add."""
    organizations = targets_of_proposals(round_, proposals_of_round(round_))
    if not organizations:
        return []
    return round_add_targets(actor=actor, round_=round_, organizations=organizations)
