"""The signed-in user's message centre (消息): their own notices grouped by kind and record, the
unread filter, a digest's items, and marking one, a kind or all of them read."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .lists import paged
from .messages import (
    GROUP_ORDER,
    message_groups,
    message_kinds,
    message_mark_read,
    messages_for,
    messages_in_groups,
    messages_unread_count,
)
from .models import Message, MessageKind
from .params import safe_next
from .permissions import Perm, requires

GROUPS_PER_PAGE = 20


class MessageFilterForm(forms.Form):
    """The message centre's filters: a kind, and unread only."""

    kind = forms.ChoiceField(
        label=gettext_lazy("类别"),
        choices=[("", gettext_lazy("全部"))] + MessageKind.choices,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("没有这个消息类别。")},
    )
    unread = forms.ChoiceField(
        label=gettext_lazy("只看未读"),
        choices=[("", gettext_lazy("全部")), ("1", gettext_lazy("只看未读"))],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("“只看未读”参数无效。")},
    )


@requires(Perm.SIGNED_IN)
def message_list(request):
    """The user's inbox grouped by (kind, record), groups with unread messages first; ``kind`` and
    ``unread=1`` filter it, a value neither can take answers 400 with the error beside the filter."""
    form = MessageFilterForm(request.GET)
    valid = form.is_valid()
    kind = form.cleaned_data.get("kind", "") if valid else ""
    unread = (form.cleaned_data.get("unread") == "1") if valid else False
    groups = message_groups(request.user, kind=kind, unread=unread)
    if not valid:
        groups = groups.none()
    page = paged(request, groups, GROUP_ORDER, GROUPS_PER_PAGE)
    context = {
        "form": form,
        "page": page,
        "groups": messages_in_groups(request.user, page.object_list, unread=unread),
        "kinds": message_kinds(request.user),
        "kind": kind,
        "only_unread": unread,
        "unread": messages_unread_count(request.user),
    }
    return render(request, "core/messages.html", context, status=200 if valid else 400)


@requires(Perm.SIGNED_IN)
def message_detail(request, pk: int):
    """One of the user's notices — a day's overdue digest lists each item with its link. Opening it
    marks it (and its items) read; anyone else's answers 404."""
    notice = get_object_or_404(Message.objects.filter(recipient=request.user), pk=pk)
    message_mark_read(actor=request.user, notice=notice)
    items = paged(request, notice.items.all(), ("kind", "key", "pk"), 100)
    return render(request, "core/message.html", {"notice": notice, "page": items})


@requires(Perm.SIGNED_IN)
@require_POST
def message_read(request):
    """Mark the notice ``notice`` read (someone else's answers 404), or all of them — of ``kind``
    when given — without it; then go on to ``next`` (a notice's own link) when it is a page of this
    site."""
    pk = request.POST.get("notice", "")
    kind = request.POST.get("kind", "")
    if pk:
        if not pk.isdecimal():
            raise Http404
        message_mark_read(actor=request.user, notice=get_object_or_404(messages_for(request.user), pk=pk))
    elif kind and kind not in MessageKind.values:
        messages.error(request, _("没有这个消息类别。"))
    else:
        changed = message_mark_read(actor=request.user, kind=kind)
        messages.success(request, _("已将 %(n)s 条消息标记为已读。") % {"n": changed})
    return redirect(safe_next(request, request.POST.get("next"), default=reverse("core:messages")))
