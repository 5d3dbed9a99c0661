"""The signed-in user's own in-app notices: the list, and marking one or all of them read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .notices import notice_mark_read, notices_for, notices_unread_count
from .permissions import Perm, requires


@requires(Perm.SIGNED_IN)
def notice_list(request):
    page = Paginator(notices_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "core/notices.html", {"page": page, "unread": notices_unread_count(request.user)})


@requires(Perm.SIGNED_IN)
@require_POST
def notice_read(request):
    """Mark the notice ``notice`` read (someone else's answers 404), or all of them without it; then
    go on to ``next`` (a notice's own link) when it is a page of this site."""
    pk = request.POST.get("notice", "")
    if pk:
        if not pk.isdecimal():
            raise Http404
        notice_mark_read(actor=request.user, notice=get_object_or_404(notices_for(request.user), pk=pk))
    else:
        changed = notice_mark_read(actor=request.user)
        messages.success(request, _("已将 %(n)s 条通知标记为已读。") % {"n": changed})
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("core:notices")
