from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lijian.core.forms import add_service_errors, changed, form_page
from lijian.core.lists import list_page
from lijian.core.permissions import Perm, access_for, requires
from lijian.core.widgets import PickerOption, picker_answer, picker_refusal, picker_scope
from lijian.orgs.selectors import body_get

from . import selectors, services, tables
from .filters import CadreFilter
from .forms import AbsenceForm, CadreForm, ConflictForm, WithdrawForm

FORM = "orgs/form.html"


@requires(Perm.POOL_VIEW)
def pool(request):
    return list_page(
        request,
        tables.POOL,
        selectors.cadres_visible(request.user).prefetch_related("skills"),
        filterset=CadreFilter(request.GET or None),
        context={
            "q": request.GET.get("q", "").strip(),
            "skills": selectors.skills_in_use(),
            "skill": request.GET.get("skill", ""),
            "can_manage": access_for(request.user).has(Perm.POOL_MANAGE),
        },
    )


@requires(Perm.POOL_VIEW)
def cadre(request, pk: int):
    person = selectors.cadre_get(request.user, pk)
    can_manage = access_for(request.user).covers(Perm.POOL_MANAGE, person.home_org.path)
    return _cadre_page(request, person, can_manage=can_manage)


def _cadre_page(request, person, *, conflict_form=None, absence_form=None, can_manage: bool = True):
    """The cadre page, with a form that came back with errors in place of its empty one."""
    return render(
        request,
        "people/cadre.html",
        {
            "cadre": person,
            "conflicts": selectors.conflicts_of_cadre(person),
            "history": selectors.cadre_history(person),
            "conflict_form": conflict_form or ConflictForm(),
            "absences": selectors.absences_of_cadre(person),
            "absence_form": absence_form or AbsenceForm(),
            "can_manage": can_manage,
        },
    )


@requires(Perm.POOL_MANAGE)
def cadre_create(request):
    form = CadreForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.cadre_create(actor=request.user, **data),
        success=_("已加入人才库。"),
        done=lambda c: c.get_absolute_url(),
        template=FORM,
        context={"title": _("新增人才库人员")},
    )


@requires(Perm.POOL_MANAGE)
def cadre_edit(request, pk: int):
    person = selectors.cadre_get(request.user, pk, perm=Perm.POOL_MANAGE)
    fields = ("cadre_id", "name", "gender", "birth_year", "home_org", "rank", "in_pool")
    initial = {f: getattr(person, f) for f in fields}
    initial["home_org"] = person.home_org.code
    initial["skills"] = list(person.skills.all())
    form = CadreForm(request.POST or None, initial=initial)

    def save(data):
        changes = changed(form, person, fields)
        return services.cadre_update(actor=request.user, cadre=person, skills=data["skills"], **changes)

    return form_page(
        request,
        form,
        save,
        success=_("已保存。"),
        done=lambda c: c.get_absolute_url(),
        template=FORM,
        context={"title": _("修改人员信息：%(name)s") % {"name": person.name}},
    )


@requires(Perm.POOL_MANAGE)
@require_POST
def conflict_declare(request, pk: int):
    person = selectors.cadre_get(request.user, pk, perm=Perm.POOL_MANAGE)
    form = ConflictForm(request.POST)
    return _declare(
        request, person, form, services.conflict_declare, _("回避事项已登记。"), "", "conflict_form"
    )


def _declare(request, person, form, service, success: str, anchor: str, slot: str):
    """Record what ``form`` declares about ``person`` through ``service``: back to the cadre's page (at
    ``anchor``) when it is recorded, else the page again with ``form`` (as ``slot``) and its errors,
    the service's refusals included."""
    if form.is_valid():
        try:
            service(actor=request.user, cadre=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(person.get_absolute_url() + anchor)
    return _cadre_page(request, person, **{slot: form})


@requires(Perm.POOL_MANAGE)
@require_POST
def conflict_withdraw(request, pk: int):
    conflict = selectors.conflict_get(request.user, pk, perm=Perm.POOL_MANAGE)
    person = conflict.cadre
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请说明撤销的理由。"))
    else:
        services.conflict_withdraw(actor=request.user, conflict=conflict, reason=form.cleaned_data["reason"])
        messages.success(request, _("回避事项已撤销。"))
    return redirect(person.get_absolute_url())


@requires(Perm.POOL_VIEW)
def pick(request):
    """Cadres the user may see matching ``q`` by name, unit or number, for a picker (a fragment);
    ``body`` (a body's id) narrows to that body's talent pool. An unknown or unseen body: 400."""
    try:
        body = picker_scope(
            request,
            "body",
            lambda pk: body_get(request.user, pk=pk, perm=Perm.POOL_VIEW),
            message=_("机构参数无效。"),
        )
    except BadRequest as exc:
        return picker_refusal(request, str(exc))
    return picker_answer(
        request,
        lambda q, limit: (
            PickerOption(c.cadre_id, c.name, f"{c.cadre_id} · {c.get_rank_display()} · {c.home_org.name}")
            for c in selectors.cadre_search(request.user, q, body=body, limit=limit)
        ),
    )


@requires(Perm.POOL_MANAGE)
@require_POST
def absence_declare(request, pk: int):
    """Record a period the cadre cannot serve (training, leave, secondment …) from the cadre's page."""
    person = selectors.cadre_get(request.user, pk, perm=Perm.POOL_MANAGE)
    form = AbsenceForm(request.POST)
    return _declare(
        request,
        person,
        form,
        services.absence_declare,
        _("已登记，编组时不会安排在这段时间。"),
        "#absences",
        "absence_form",
    )


@requires(Perm.POOL_MANAGE)
@require_POST
def absence_withdraw(request, pk: int):
    absence = selectors.absence_get(request.user, pk, perm=Perm.POOL_MANAGE)
    person = absence.cadre
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请说明撤销的理由。"))
    else:
        try:
            services.absence_withdraw(actor=request.user, absence=absence, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已撤销。"))
    return redirect(person.get_absolute_url() + "#absences")
