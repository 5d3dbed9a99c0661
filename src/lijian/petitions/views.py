"""Office and group pages for petitions, and the public QR form with its receipt-code status page."""

from functools import wraps

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lijian.core.client import client_address
from lijian.core.errors import PublicNotFound
from lijian.core.forms import add_service_errors
from lijian.core.lists import list_page
from lijian.core.params import query_id, safe_next
from lijian.core.permissions import Perm, requires
from lijian.core.registry import panels_render
from lijian.documents import attachments
from lijian.findings import selectors as findings_selectors
from lijian.findings.forms import AttachmentForm
from lijian.inspections import selectors as inspection_selectors
from lijian.inspections.models import Inspection

from . import public_limits, selectors, services, tables
from .choices import PetitionStatus
from .filters import PetitionFilter
from .forms import (
    AnswerForm,
    PetitionForm,
    PublicPetitionForm,
    ReasonForm,
    ReceiptForm,
    RouteDepartmentForm,
    RouteGroupForm,
)

QR_SALT = "lijian.petitions.qr"


@requires(Perm.PETITION_VIEW)
def petitions(request):
    return list_page(
        request,
        tables.PETITIONS,
        selectors.petitions_visible(request.user),
        filterset=PetitionFilter(request.GET or None),
        context={"can_receive": selectors.bodies_receiving(request.user).exists()},
    )


@requires(Perm.PETITION_MANAGE)
def petition_create(request):
    bodies = selectors.bodies_receiving(request.user)
    inspection = None
    inspection_id = query_id(request, "inspection", label=_("巡视巡察"))
    if inspection_id is not None:
        inspection = inspection_selectors.inspection_get(request.user, inspection_id)
    initial = {
        "body": inspection.round.body if inspection else bodies.first(),
        "org_code": inspection.organization.code if inspection else "",
    }
    form = PetitionForm(request.POST or None, bodies=bodies, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            petition = services.petition_receive(
                actor=request.user,
                body=data["body"],
                channel=data["channel"],
                received_on=data["received_on"],
                summary=data["summary"],
                subject_org=data["org_code"],
                inspection=inspection,
                category=data["category"],
                identity=form.identity(),
                joint_body=data["joint_body"],
                group=inspection.group if inspection else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("信访件已登记。"))
            return redirect(petition.get_absolute_url())
    return render(
        request,
        "findings/form.html",
        {
            "form": form,
            "inspection": inspection,
            "title": _("登记信访件"),
            "back": safe_next(request, request.GET.get("next"), default=reverse("petitions:list")),
        },
    )


def _detail(request, petition, identity=None, reveal_form=None):
    user = request.user
    manage = selectors.can_manage(user, petition)
    body_ids = [petition.body_id] + ([petition.joint_body_id] if petition.joint_body_id else [])
    inspections = (
        Inspection.objects.filter(
            round__body__in=body_ids, group__isnull=False, stage__in=["preparation", "onsite", "report"]
        )
        .select_related("group", "organization", "round__body", "round__term")
        .order_by("-round__start", "organization__path")
    )
    if petition.subject_org_id:
        inspections = inspections.filter(organization__path__in=_ancestors(petition.subject_org.path))
    departments = findings_selectors.departments_of(petition.body.owner_org_id)
    context = {
        "petition": petition,
        "manage": manage,
        "can_answer": selectors.can_answer(user, petition),
        "can_reveal": selectors.can_reveal(user, petition),
        "identity": identity,
        "reveal_form": reveal_form or ReasonForm(),
        "route_group_form": RouteGroupForm(inspections=inspections),
        "route_department_form": RouteDepartmentForm(departments=departments),
        "answer_form": AnswerForm(),
        "reason_form": ReasonForm(),
        "similar": selectors.similar_petitions(user, petition) if manage else [],
        "related": petition.related.all(),
        "files": attachments.attachments_of(petition),
        "can_attach": attachments.can_add(user, petition),
        "attachment_form": AttachmentForm(),
        "kind": "petition",
        "subject": petition,
    }
    context["panels"] = panels_render("petitions.petition", request, petition, context)
    return render(request, "petitions/petition.html", context)


def _ancestors(path: str) -> list[str]:
    return [path[:i] for i in range(4, len(path) + 1, 4)]


@requires(Perm.PETITION_VIEW)
def petition_detail(request, pk: int):
    return _detail(request, selectors.petition_get(request.user, pk))


def reveal_refusals_audited(view):
    """Record every refused reveal — no reveal permission at all (403), a petition outside the
    user's scope or none (404), not this petition's office (403) — as a ``denied`` audit event,
    written after the refusal so nothing rolls it back, then let the refusal answer as before."""

    @wraps(view)
    def wrapped(request, pk: int):
        try:
            return view(request, pk)
        except (PermissionDenied, Http404) as refusal:
            if not getattr(refusal, "lijian_audited", False):
                services.petition_reveal_refused(
                    actor=request.user, petition_id=pk, reason=str(request.POST.get("reason", ""))
                )
            raise

    return wrapped


@reveal_refusals_audited
@requires(Perm.IDENTITY_REVEAL)
@require_POST
def petition_reveal(request, pk: int):
    """Shows the identity on this response only: it is never kept in the session or a link."""
    petition = selectors.petition_get(request.user, pk, selectors.PETITION_REVEAL)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _detail(request, petition, reveal_form=form)
    try:
        identity = services.petition_reveal(
            actor=request.user, petition=petition, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        add_service_errors(form, exc, field="reason")
        return _detail(request, petition, reveal_form=form)
    labels = {name: PetitionForm.base_fields[name].label for name in PetitionForm.IDENTITY}
    shown = {labels.get(k, k): v for k, v in identity.items()} or {_("反映人"): _("（匿名）")}
    response = _detail(request, petition, identity=shown)
    response["Cache-Control"] = "no-store"
    return response


def _route_group(request, petition, data):
    form = RouteGroupForm(
        data,
        inspections=Inspection.objects.filter(
            round__body__in=[petition.body_id, petition.joint_body_id]
        ).select_related("group", "organization", "round"),
    )
    if not form.is_valid():
        raise ValidationError(_("请选择承办的巡视巡察组。"))
    return services.petition_route_to_group(actor=request.user, petition=petition, **form.cleaned_data)


def _route_department(request, petition, data):
    form = RouteDepartmentForm(
        data,
        departments=findings_selectors.departments_of(petition.body.owner_org_id),
    )
    if not form.is_valid():
        raise ValidationError(_("请选择协作部门并填写反映对象。"))
    return services.petition_route_to_department(actor=request.user, petition=petition, **form.cleaned_data)


def _with(form_class, service, field_map=None):
    def act(request, petition, data):
        form = form_class(data)
        if not form.is_valid():
            raise ValidationError(" ".join(e for errors in form.errors.values() for e in errors))
        values = {k: v for k, v in form.cleaned_data.items() if v is not None}
        return service(actor=request.user, petition=petition, **values)

    return act


# action: (what it does with the form, the success message, the service's ``Action``: checked
# before the form is read)
ACTIONS = {
    "route_group": (_route_group, _("已转巡视巡察组办理。"), selectors.PETITION_MANAGE),
    "route_department": (
        _route_department,
        _("已形成问题线索，待巡视巡察办移交协作部门。"),
        selectors.PETITION_MANAGE,
    ),
    "answer": (_with(AnswerForm, services.petition_answer), _("办理结果已记录。"), selectors.PETITION_ANSWER),
    "close": (_with(ReasonForm, services.petition_close), _("信访件已办结。"), selectors.PETITION_MANAGE),
    "send_back": (
        _with(ReasonForm, services.petition_send_back),
        _("已退回重新办理。"),
        selectors.PETITION_MANAGE,
    ),
}


@requires(Perm.PETITION_VIEW)
@require_POST
def petition_action(request, pk: int, action: str):
    move = ACTIONS.get(action)
    # The move's own Action, asked with the petition before the request is read (the service's words).
    may = selectors.PETITION_LINK if action == "link" else (move[2] if move else None)
    petition = selectors.petition_get(request.user, pk, may)
    if action == "link":
        other_pk = request.POST.get("other", "")
        other = (
            selectors.petitions_visible(request.user).filter(pk=int(other_pk)).first()
            if other_pk.isdigit()
            else None
        )
        if other is None:
            raise Http404
        act, success = (
            (lambda r, p, d: services.petition_link(actor=r.user, petition=p, other=other)),
            _("已关联。"),
        )
    elif move is not None:
        act, success, _may = move
    else:
        messages.error(request, _("未知的操作。"))
        return redirect(petition.get_absolute_url())
    try:
        act(request, petition, request.POST)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(petition.get_absolute_url())


# --- public pages: no login -----------------------------------------------------------------------


def qr_token(inspection) -> str:
    return signing.dumps(inspection.pk, salt=QR_SALT)


@requires(Perm.PUBLIC)
def public_report(request, token: str):
    """码上巡察: the form a QR code on an inspection's announcement opens."""
    expired = PublicNotFound(_("二维码无效或已过期，请重新扫描巡视巡察公告上的二维码，或通过来信来访反映。"))
    try:
        pk = signing.loads(token, salt=QR_SALT)
    except signing.BadSignature as exc:
        raise expired from exc
    inspection = (
        Inspection.objects.select_related("organization", "group", "round__body").filter(pk=pk).first()
    )
    if inspection is None:
        raise expired
    form = PublicPetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            public_limits.allow_filing(client_address(request))
        except public_limits.TooFrequent as refused:
            form.add_error(
                None,
                ngettext(
                    "提交过于频繁，请于%(minutes)s分钟后再试，或通过来信来访反映。",
                    "提交过于频繁，请于%(minutes)s分钟后再试，或通过来信来访反映。",
                    refused.minutes,
                )
                % {"minutes": refused.minutes},
            )
            page = render(request, "petitions/public_form.html", {"form": form, "inspection": inspection})
            return _too_frequent(page, refused)
        try:
            petition, code = services.petition_file_public(
                inspection=inspection,
                summary=form.cleaned_data["summary"],
                category=form.cleaned_data["category"],
                identity=form.identity(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            response = render(
                request,
                "petitions/public_receipt.html",
                {"code": code, "petition": petition, "inspection": inspection},
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "petitions/public_form.html", {"form": form, "inspection": inspection})


@requires(Perm.PUBLIC)
def public_status(request):
    """A petitioner reads the status and the answer of their petition with the receipt code."""
    form = ReceiptForm(request.POST or None)
    petition, looked, refused = None, False, None
    if request.method == "POST" and form.is_valid():
        try:
            petition = public_limits.look_up_receipt(form.cleaned_data["code"], client_address(request))
        except public_limits.TooFrequent as exc:
            refused = exc
            wait = ngettext(
                "查询过于频繁，请于%(minutes)s分钟后再试。",
                "查询过于频繁，请于%(minutes)s分钟后再试。",
                exc.minutes,
            )
            form.add_error(None, wait % {"minutes": exc.minutes})
        else:
            looked = True
    response = render(
        request,
        "petitions/public_status.html",
        {
            "form": form,
            "petition": petition,
            "looked": looked,
            "answered": PetitionStatus.ANSWERED,
        },
    )
    response["Cache-Control"] = "no-store"
    return _too_frequent(response, refused) if refused else response


def _too_frequent(response, refused):
    """The page as it was, answered 429 with ``Retry-After`` so scripts and proxies back off too."""
    response.status_code = 429
    response["Retry-After"] = str(int(refused.wait.total_seconds()) + 1)
    return response
