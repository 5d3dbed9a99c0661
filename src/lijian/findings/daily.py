"""The findings app's step of the daily job (``core.daily``): clues past their feedback deadline.

Each day the clues past their deadline and not fed back are marked escalated
(``clues_escalate_overdue``: audited once) and the receiving department's staff and the office are
told (a liaison never hears of clues).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.accounts.recipients import office_staff_by_body
from lijian.core.daily import DailyStep, overdue_draft
from lijian.core.messages import MessageDraft
from lijian.findings.recipients import department_staff_by_id

from .services import clues_escalate_overdue


def clues_overdue(on: datetime.date) -> tuple[int, list[MessageDraft]]:
    """Clues escalated on ``on`` (first time only), and a draft to each person who must act on each."""
    clues = clues_escalate_overdue(today=on)
    if not clues:
        return 0, []
    staff = department_staff_by_id({c.department_id for c in clues})
    office = office_staff_by_body({c.inspection.round.body for c in clues})
    drafts = []
    for clue in clues:
        text = _("移交线索超期未反馈：%(ref)s（%(dept)s，%(org)s），反馈期限 %(due)s。") % {
            "ref": clue.ref,
            "dept": clue.department.name,
            "org": clue.inspection.organization.name,
            "due": clue.due_on.isoformat(),
        }
        people = staff.get(clue.department_id, set()) | office.get(clue.inspection.round.body_id, set())
        fact, record = f"clue-overdue:{clue.pk}", f"findings.clue:{clue.pk}"
        drafts += [overdue_draft(u, fact, text, clue.get_absolute_url(), record, clue.ref) for u in people]
    return len(clues), drafts


CLUES_STEP = DailyStep("clues", clues_overdue, "移交线索 {n} 条", "clue-overdue", gettext_lazy("移交线索"))
