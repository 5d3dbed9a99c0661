"""The audit page: the auditor reads and searches the ledger within their scope, and sees (and asks
for) the verification of the whole chain."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .audit_tables import AUDIT_EVENTS
from .ledger_checks import ledger_check_latest, ledger_check_request
from .lists import list_page
from .models import AuditOutcome
from .params import query_choice, query_date
from .permissions import Perm, requires
from .selectors import audit_action_choices, audit_events_visible

FILTERS = ("action", "actor", "object", "since", "until", "outcome")


@requires(Perm.AUDIT_VIEW)
def audit_list(request):
    """GET: the events in the user's scope, filtered by action, account, object, dates and outcome.
    POST: start a verification of the whole chain in the background."""
    if request.method == "POST":
        ledger_check_request(actor=request.user)
        messages.success(request, _("已开始校验审计账本，完成后结果显示在本页上方。"))
        return redirect("core:audit")
    text = {name: request.GET.get(name, "").strip()[:100] for name in ("action", "actor", "object")}
    text["outcome"] = query_choice(request, "outcome", AuditOutcome, label=_("结果"))
    since = query_date(request, "since", label=_("起始日期"))
    until = query_date(request, "until", label=_("截止日期"))
    events = audit_events_visible(
        request.user,
        action=text["action"],
        actor=text["actor"],
        object_text=text["object"],
        since=since,
        until=until,
        outcome=text["outcome"],
    )
    chosen = {**text, "since": request.GET.get("since", ""), "until": request.GET.get("until", "")}
    return list_page(
        request,
        AUDIT_EVENTS,
        events,
        context={
            "filters": chosen,
            "actions": audit_action_choices(),
            "outcomes": AuditOutcome.choices,
            "check": ledger_check_latest(),
        },
    )
