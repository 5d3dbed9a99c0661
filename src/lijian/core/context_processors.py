from django.conf import settings
from django.urls import reverse

from .messages import messages_unread_count
from .permissions import Perm, access_for
from .registry import MENU


def shell(request):
    """The navigation (the menu entries the apps registered), each a link for a user who may open it."""
    access = access_for(getattr(request, "user", None))
    match = getattr(request, "resolver_match", None)
    items = []
    for entry in MENU.values():
        enabled = access.has(entry.perm)
        if items and items[-1]["key"] == entry.key:  # an alternative entry for roles without the first one
            if items[-1]["url"] is None and enabled:
                items[-1]["url"] = reverse(entry.url_name)
            continue
        items.append(
            {
                "key": entry.key,
                "label": entry.label,
                "url": reverse(entry.url_name) if enabled else None,
                "active": match is not None and entry.is_active(match.app_name, match.view_name),
            }
        )
    return {
        "nav_items": items,
        "site_title": settings.SITE_TITLE,
        "can_manage_accounts": access.has(Perm.ACCOUNTS_MANAGE),
        "can_view_audit": access.has(Perm.AUDIT_VIEW),
        "can_edit_reference": access.has(Perm.REFERENCE_MANAGE),
        # One COUNT on the user's own unread notices (none when signed out) for the badge in the nav.
        "unread_messages": messages_unread_count(getattr(request, "user", None)),
    }
