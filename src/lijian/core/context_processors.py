from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .notices import notices_unread_count
from .permissions import Perm, access_for

# The areas of the product. Those whose ``url`` is None are filled by later releases and are shown
# greyed out rather than as links to empty pages.
NAV = [
    ("orgs", _("组织"), "orgs:tree", Perm.ORG_VIEW),
    ("inspections", _("巡视巡察"), "inspections:rounds", Perm.ROUND_VIEW),
    # A receiving department sees no problems, only the clues transferred to it.
    ("findings", _("问题线索"), "findings:problems", Perm.FINDINGS_VIEW),
    ("findings", _("问题线索"), "findings:clues", Perm.CLUE_VIEW),
    ("rectification", _("整改"), "rectification:index", Perm.RECTIFICATION_VIEW),
    ("petitions", _("信访"), "petitions:list", Perm.PETITION_VIEW),
    ("documents", _("文书"), "documents:ledger", Perm.LEDGER_EXPORT),
    ("people", _("人才库"), "people:pool", Perm.POOL_VIEW),
    ("analytics", _("统计"), "orgs:bodies", Perm.FIGURES_VIEW),
]


def _is_active(request, key: str) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    if key == "orgs":
        return match.app_name == "orgs" and not match.view_name.startswith(("orgs:bod", "orgs:term"))
    if key == "inspections":
        return match.app_name == "inspections" or (
            match.view_name.startswith(("orgs:bod", "orgs:term")) and match.view_name != "orgs:bodies"
        )
    if key == "analytics":  # the statistics entry opens the list of bodies
        return match.app_name == "analytics" or match.view_name == "orgs:bodies"
    return match.app_name == key


def shell(request):
    """The navigation, filtered to what the signed-in user may open."""
    access = access_for(getattr(request, "user", None))
    items = []
    for key, label, url_name, perm in NAV:
        enabled = url_name is not None and access.has(perm)
        if items and items[-1]["key"] == key:  # an alternative entry for roles without the first one
            if items[-1]["url"] is None and enabled:
                items[-1]["url"] = reverse(url_name)
            continue
        items.append(
            {
                "key": key,
                "label": label,
                "url": reverse(url_name) if enabled else None,
                "planned": url_name is None,
                "active": _is_active(request, key),
            }
        )
    return {
        "nav_items": items,
        "site_title": settings.SITE_TITLE,
        "can_manage_accounts": access.has(Perm.ACCOUNTS_MANAGE),
        "can_view_audit": access.has(Perm.AUDIT_VIEW),
        "can_edit_reference": access.has(Perm.REFERENCE_MANAGE),
        # One COUNT on the user's own unread notices (none when signed out) for the badge in the nav.
        "unread_notices": notices_unread_count(getattr(request, "user", None)),
    }
