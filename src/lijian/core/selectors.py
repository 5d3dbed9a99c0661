from .models import AuditEvent
from .permissions import Perm, access_for


def audit_events_visible(user, *, action: str = ""):
    """Events within the user's audit scope. Events with no organisation (log-ins, imports, accounts)
    are shown to system-wide auditors only."""
    access = access_for(user)
    qs = (
        AuditEvent.objects.all()
        if access.is_global(Perm.AUDIT_VIEW)
        else AuditEvent.objects.filter(access.q(Perm.AUDIT_VIEW, "scope_path")).exclude(scope_path="")
    )
    if action:
        qs = qs.filter(action__startswith=action)
    return qs.order_by("-id")
