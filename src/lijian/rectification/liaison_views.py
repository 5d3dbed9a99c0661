"""Liaisons exist when they are needed: at feedback an organisation without a liaison account cannot
write its plan, so the office of the body is told, and creates the account from the inspection page
(``accounts.services.liaison_account_create``: only for organisations in the office's own scope) with
a one-time password shown once, which the liaison must change at first login."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lijian.accounts.models import User
from lijian.accounts.recipients import liaisons_by_path
from lijian.accounts.selectors import LIAISON_CREATE
from lijian.accounts.services import liaison_account_create
from lijian.core.forms import add_service_errors
from lijian.core.permissions import Perm, requires

from . import selectors
from .forms import LiaisonForm


def liaisons_of(organization) -> list[User]:
    """The active liaison accounts over ``organization`` (at it or above it), by name."""
    ids = liaisons_by_path([organization.path])[organization.path]
    return list(User.objects.filter(pk__in=ids).order_by("full_name", "username"))


@requires(Perm.ROUND_MANAGE)
@never_cache
def liaison_new(request, pk: int):
    """The office creates the inspected organisation's liaison account; the one-time password is
    shown on the answer page only (never stored in clear, never sent again)."""
    inspection = selectors.inspection_get(request.user, pk)
    organization = inspection.organization
    LIAISON_CREATE.check(request.user, organization)
    back = reverse("rectification:inspection", args=[inspection.pk])
    form = LiaisonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = liaison_account_create(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            context = {"account": user, "password": password, "inspection": inspection, "back": back}
            return render(request, "rectification/liaison_created.html", context)
    return render(
        request,
        "rectification/form.html",
        {
            "form": form,
            "title": _("创建联络员账号：%(org)s") % {"org": organization.name},
            "inspection": inspection,
            "back": back,
            "help": _("系统生成一次性初始密码，仅显示一次；联络员首次登录须修改密码。"),
            "existing": liaisons_of(organization),
        },
    )
