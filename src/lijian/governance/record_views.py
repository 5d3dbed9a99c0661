"""Pages of the rules registry and of exposed cases. Thin: parse, call a selector or a service,
render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from lijian.core.forms import changed, form_page
from lijian.core.lists import list_page
from lijian.core.permissions import Perm, requires

from . import selectors, services, tables
from .choices import REGULATION_TRANSITIONS, RegulationStatus
from .filters import ExposureFilter, RegulationFilter
from .forms import ExposureForm, RegulationForm, RegulationMoveForm
from .views import FORM, files_context, form_errors, managed_bodies

# --- rules ----------------------------------------------------------------------------------------


@requires(Perm.GOVERNANCE_VIEW)
def regulations(request):
    rows = selectors.regulations_visible(request.user)
    return list_page(
        request,
        tables.REGULATIONS,
        rows,
        filterset=RegulationFilter(request.GET or None),
        context={"can_record": bool(selectors.bodies_managed(request.user))},
    )


@requires(Perm.GOVERNANCE_MANAGE)
def regulation_create(request):
    form = RegulationForm(request.POST or None, bodies=managed_bodies(request))
    return form_page(
        request,
        form,
        lambda data: services.regulation_register(actor=request.user, **data),
        success=_("制度已登记。"),
        done=lambda regulation: regulation.get_absolute_url(),
        template=FORM,
        context={"title": _("登记制度规定"), "back": reverse("governance:regulations")},
    )


# The moves offered on a rule's page: (action, button label, target status). Lazy: the labels are
# read in the language of each request, not the one at import.
MOVES = (
    ("revise", pgettext_lazy("regulation move", "已修订"), RegulationStatus.REVISED),
    ("repeal", pgettext_lazy("regulation move", "废止"), RegulationStatus.REPEALED),
    ("restore", pgettext_lazy("regulation move", "恢复有效"), RegulationStatus.IN_FORCE),
)


@requires(Perm.GOVERNANCE_VIEW)
def regulation_detail(request, pk: int):
    regulation = selectors.regulation_get(request.user, pk)
    can_edit = selectors.can_edit(request.user, regulation)
    moves = [
        (action, label)
        for action, label, target in MOVES
        if can_edit and REGULATION_TRANSITIONS.can(regulation.status, target)
    ]
    return render(
        request,
        "governance/regulation.html",
        {
            "regulation": regulation,
            "can_edit": can_edit,
            "moves": moves,
            "move_form": RegulationMoveForm(regulation=regulation),
            "replaces": regulation.replaces.all(),
            **files_context(request, regulation, "regulation"),
        },
    )


@requires(Perm.GOVERNANCE_MANAGE)
def regulation_edit(request, pk: int):
    regulation = selectors.regulation_get(request.user, pk, selectors.RECORD_EDIT)
    fields = services.REGULATION_FIELDS
    form = RegulationForm(request.POST or None, initial={f: getattr(regulation, f) for f in fields})
    return form_page(
        request,
        form,
        lambda data: services.regulation_update(
            actor=request.user, regulation=regulation, **changed(form, regulation, fields)
        ),
        success=_("制度已修改。"),
        done=lambda r: r.get_absolute_url(),
        template=FORM,
        context={
            "title": _("修改制度：%(name)s") % {"name": regulation.name},
            "back": regulation.get_absolute_url(),
        },
    )


@requires(Perm.GOVERNANCE_MANAGE)
@require_POST
def regulation_action(request, pk: int, action: str):
    regulation = selectors.regulation_get(request.user, pk, selectors.RECORD_EDIT)
    back = regulation.get_absolute_url()
    form = RegulationMoveForm(request.POST, regulation=regulation)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(back)
    try:
        services.regulation_move(
            actor=request.user, regulation=regulation, action=action, **form.cleaned_data
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("制度状态已更新。"))
    return redirect(back)


# --- exposed cases --------------------------------------------------------------------------------


@requires(Perm.GOVERNANCE_VIEW)
def exposures(request):
    rows = selectors.exposures_visible(request.user)
    return list_page(
        request,
        tables.EXPOSURES,
        rows,
        filterset=ExposureFilter(request.GET or None),
        context={"can_record": bool(selectors.bodies_managed(request.user))},
    )


@requires(Perm.GOVERNANCE_MANAGE)
def exposure_create(request):
    form = ExposureForm(request.POST or None, bodies=managed_bodies(request), user=request.user)
    return form_page(
        request,
        form,
        lambda data: services.exposure_record(actor=request.user, **data),
        success=_("通报曝光已登记。"),
        done=lambda exposure: exposure.get_absolute_url(),
        template=FORM,
        context={"title": _("登记通报曝光"), "back": reverse("governance:exposures")},
    )


@requires(Perm.GOVERNANCE_VIEW)
def exposure_detail(request, pk: int):
    exposure = selectors.exposure_get(request.user, pk)
    return render(
        request,
        "governance/exposure.html",
        {"exposure": exposure, "can_edit": selectors.can_edit(request.user, exposure)},
    )


@requires(Perm.GOVERNANCE_MANAGE)
def exposure_edit(request, pk: int):
    exposure = selectors.exposure_get(request.user, pk, selectors.RECORD_EDIT)
    fields = services.EXPOSURE_FIELDS
    initial = {f: getattr(exposure, f) for f in fields}
    initial.update(
        organization=exposure.organization.code if exposure.organization else "",
        problem=exposure.problem.ref if exposure.problem else "",
        accountability=exposure.accountability_id,
    )
    form = ExposureForm(request.POST or None, initial=initial, user=request.user)
    return form_page(
        request,
        form,
        lambda data: services.exposure_update(
            actor=request.user, exposure=exposure, **changed(form, exposure, fields)
        ),
        success=_("通报曝光已修改。"),
        done=lambda e: e.get_absolute_url(),
        template=FORM,
        context={
            "title": _("修改通报曝光：%(title)s") % {"title": exposure.title},
            "back": exposure.get_absolute_url(),
        },
    )
