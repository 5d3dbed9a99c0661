"""The petitions app's cards on other apps' pages (registered in ``PetitionsConfig.ready``)."""

import segno
from django.db.models import Q
from django.urls import reverse

from lijian.core.registry import Panel, register_panel
from lijian.inspections.choices import Stage

from .selectors import petitions_visible
from .views import qr_token


def inspection_petitions(request, inspection, page: dict) -> dict:
    """The inspection's petitions the user may see; for its managers before and during the site
    visit, the 码上巡察 QR code that opens the public form for it."""
    can_manage = page["can_manage"]
    qr = {}
    if can_manage and inspection.stage in (Stage.PREPARATION, Stage.ONSITE):
        url = request.build_absolute_uri(reverse("public_report", args=[qr_token(inspection)]))
        qr = {"public_url": url, "qr_svg": segno.make(url, error="m").svg_inline(scale=3)}
    return {
        **qr,
        "inspection": inspection,
        "petitions": petitions_visible(request.user)
        .filter(Q(inspection=inspection) | Q(routed_inspection=inspection))
        .order_by("-received_on")[:20],
        "can_receive_petitions": can_manage,
    }


def register() -> None:
    register_panel(
        "petitions.inspection_petitions",
        Panel(
            "inspections.inspection",
            "side",
            "petitions/panels/inspection_petitions.html",
            inspection_petitions,
        ),
        order=10,
    )
