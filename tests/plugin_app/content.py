"""The plugin's content: an API router, a daily step, a page and a panel."""

import datetime

from django.http import HttpResponse
from django.urls import path
from ninja import Router

from lijian.accounts.models import User
from lijian.core.audit import audit_record
from lijian.core.messages import MessageDraft
from lijian.core.models import MessageKind
from lijian.core.permissions import Perm, access_for, api_requires, requires

router = Router(tags=["插件"])
OVERDUE_ACTION = "plugin.overdue"
# Whoever holds this user name is told of the plugin's overdue fact each day.
TOLD = "plugin-told"


@router.get("/ping", url_name="plugin_ping")
@api_requires(Perm.SIGNED_IN)
def ping(request):
    return {"plugin": "pong", "user": request.user.username}


def overdue(on: datetime.date) -> tuple[int, list[MessageDraft]]:
    """One overdue fact a day, told to the user ``TOLD``."""
    audit_record(actor=None, action=OVERDUE_ACTION, object_repr=on.isoformat())
    drafts = [
        MessageDraft(pk, f"plugin-overdue:{on.isoformat()}", "插件事项超期", "", MessageKind.OVERDUE)
        for pk in User.objects.filter(username=TOLD).values_list("pk", flat=True)
    ]
    return 1, drafts


def org_panel(request, org, page: dict) -> dict | None:
    """A card on an organisation's page for a user who may plan rounds."""
    return (
        {"org": org, "size": page["subtree_size"]}
        if access_for(request.user).has(Perm.ROUND_MANAGE)
        else None
    )


@requires(Perm.ROUND_MANAGE)
def index(request):
    return HttpResponse("插件首页")


app_name = "plugin_app"
urlpatterns = [path("", index, name="index")]
