from django.core.exceptions import BadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lijian.core.forms import changed, form_page
from lijian.core.lists import EXPORT, EXPORT_FORMATS, filtered, list_page
from lijian.core.params import BadParameter, shown
from lijian.core.permissions import Perm, access_for, requires
from lijian.core.registry import panels_render
from lijian.core.widgets import PickerOption, picker_answer, picker_refusal, picker_scope
from lijian.documents.exports import export_response

from . import selectors, services, tables
from .choices import GRASSROOTS_KINDS, BodyLevel, OrgKind
from .filters import BodyFilter
from .forms import BodyForm, OrganizationForm, TermForm


def default_body_level(owner) -> str:
    """Provincial and municipal committees inspect (巡视); every other committee patrols (巡察)."""
    top = (OrgKind.PROVINCIAL_COMMITTEE, OrgKind.MUNICIPAL_COMMITTEE)
    return BodyLevel.INSPECTION if owner.kind in top else BodyLevel.PATROL


# Subtrees larger than this are not broken down by kind on the organisation page (a GROUP BY over
# hundreds of thousands of rows is dashboard work, not page work).
KIND_BREAKDOWN_LIMIT = 20_000


@requires(Perm.ORG_VIEW)
def tree(request):
    roots = selectors.organization_roots(request.user)
    if len(roots) == 1:
        return redirect("orgs:detail", pk=roots[0].pk)
    return render(request, "orgs/tree.html", {"roots": roots})


@requires(Perm.ORG_VIEW)
def detail(request, pk: int):
    org = selectors.organization_get(request.user, pk=pk)
    fmt = request.GET.get(EXPORT, "")
    if fmt:  # the children, all of them
        if fmt not in EXPORT_FORMATS:
            raise BadParameter(_("链接中的导出格式“%(value)s”无效。") % {"value": shown(fmt)})
        rows = selectors.organization_children_all(request.user, org)
        return export_response(fmt, tables.CHILDREN, rows, "organizations")
    access = access_for(request.user)
    page = selectors.organization_children(request.user, org, after=request.GET.get("after"))
    size = selectors.organization_subtree_size(org)
    kind_counts = None
    if size <= KIND_BREAKDOWN_LIMIT:
        counts = selectors.organization_kind_counts(org)
        kind_counts = [(OrgKind(k).label, n) for k, n in sorted(counts.items(), key=lambda kv: -kv[1])]
    ancestors = selectors.organization_ancestors(org)
    context = {
        "org": org,
        "breadcrumbs": [(a, access.covers(Perm.ORG_VIEW, a.path)) for a in ancestors],
        "page": page,
        "subtree_size": size,
        "kind_counts": kind_counts,
        "bodies": org.bodies.all(),
        # Linked only when its page would open: a group's member sees the organisation, not
        # necessarily the office that supervises it.
        "supervising_body_visible": org.supervising_body_id is not None
        and selectors.bodies_visible(request.user).filter(pk=org.supervising_body_id).exists(),
        "can_manage": access.covers(Perm.ORG_MANAGE, org.path),
        "can_own_body": org.kind not in GRASSROOTS_KINDS | {OrgKind.BRANCH},
        "export_links": {f: f"{EXPORT}={f}" for f in EXPORT_FORMATS} if org.numchild else {},
    }
    # Cards of the apps that build on organisations (inspection history, grassroots coverage …).
    context["panels"] = panels_render("orgs.organization", request, org, context)
    return render(request, "orgs/detail.html", context)


@requires(Perm.ORG_VIEW)
def children(request, pk: int):
    """The next page of children, for the “load more” button (htmx)."""
    org = selectors.organization_get(request.user, pk=pk)
    page = selectors.organization_children(request.user, org, after=request.GET.get("after"))
    return render(request, "orgs/_children_rows.html", {"org": org, "page": page})


@requires(Perm.ORG_VIEW)
def search(request):
    query = request.GET.get("q", "").strip()
    results = selectors.organization_search(request.user, query) if query else []
    template = "orgs/_search_results.html" if request.headers.get("HX-Request") else "orgs/search.html"
    return render(request, template, {"q": query, "results": results})


def org_option(org) -> PickerOption:
    detail = " · ".join(filter(None, [org.get_kind_display(), org.code, getattr(org, "parent_name", "")]))
    return PickerOption(org.code, org.name, detail)


@requires(Perm.ORG_VIEW)
def pick(request):
    """Organisations in the user's scope matching ``q`` by name or code, for a picker (a fragment);
    ``within`` (an organisation's id) narrows to its subtree. An unknown or unseen one: 400."""
    try:
        within = picker_scope(
            request,
            "within",
            lambda pk: selectors.organization_get(request.user, pk=pk),
            message=_("组织参数无效。"),
        )
    except BadRequest as exc:
        return picker_refusal(request, str(exc))
    return picker_answer(
        request,
        lambda q, limit: map(
            org_option, selectors.organization_search(request.user, q, limit=limit, within=within)
        ),
    )


@requires(Perm.ORG_VIEW)
def pick_body(request):
    """Inspection bodies in the user's scope matching ``q`` by name or code, for a picker."""
    return picker_answer(
        request,
        lambda q, limit: (
            PickerOption(b.code, b.name, f"{b.code} · {b.owner_org.name}")
            for b in selectors.body_search(request.user, q, limit=limit)
        ),
    )


def _org_form(request, bodies, initial=None):
    return OrganizationForm(request.POST or None, initial=initial, bodies=bodies)


FORM = "orgs/form.html"


@requires(Perm.ORG_MANAGE)
def create_child(request, pk: int):
    parent = selectors.organization_get(request.user, pk=pk, perm=Perm.ORG_MANAGE)
    form = _org_form(
        request,
        selectors.bodies_above(parent.path),
        {"supervising_body": selectors.default_supervising_body(parent)},
    )
    return form_page(
        request,
        form,
        lambda data: services.organization_create(actor=request.user, parent=parent, **data),
        success=_("已新增组织。"),
        done=lambda org: org.get_absolute_url(),
        template=FORM,
        context={"parent": parent, "title": _("新增下级组织")},
    )


@requires(Perm.ORG_MANAGE)
def edit(request, pk: int):
    org = selectors.organization_get(request.user, pk=pk, perm=Perm.ORG_MANAGE)
    form = _org_form(
        request, selectors.bodies_above(org.parent_path), {f: getattr(org, f) for f in services.ORG_FIELDS}
    )
    return form_page(
        request,
        form,
        lambda data: services.organization_update(
            actor=request.user, org=org, **changed(form, org, services.ORG_FIELDS)
        ),
        success=_("已保存。"),
        done=lambda org: org.get_absolute_url(),
        template=FORM,
        context={"org": org, "title": _("修改组织信息：%(name)s") % {"name": org.name}},
    )


@requires(Perm.ORG_VIEW)
def body_list(request):
    """The bodies in the user's scope a page at a time, with the staffing totals of all of them (as
    filtered); exported whole as the list is filtered."""
    visible = selectors.bodies_visible(request.user)
    asked = BodyFilter(request.GET or None)
    bodies, status = filtered(asked, visible)
    narrowed = asked.is_bound and status == 200 and any(asked.form.cleaned_data.get(k) for k in asked.filters)
    return list_page(
        request,
        tables.BODIES,
        visible,
        filterset=asked,
        context={"staffing": selectors.staffing_summary(bodies), "narrowed": narrowed},
    )


@requires(Perm.ORG_VIEW)
def body_detail(request, pk: int):
    body = selectors.body_get(request.user, pk=pk)
    access = access_for(request.user)
    term = selectors.term_current(body)
    context = {
        "body": body,
        "terms": body.terms.all(),
        "current_term": term,
        "jurisdiction_size": selectors.body_jurisdiction_size(body),
        "can_manage": access.covers(Perm.ORG_MANAGE, body.owner_org.path),
        "can_plan": access.covers(Perm.ROUND_MANAGE, body.owner_org.path),
        # The body's figures (a panel) are shown to the same users, for the current term.
        "sees_figures": bool(term) and access.covers(Perm.FIGURES_VIEW, body.owner_org.path),
    }
    # Cards of the apps that build on bodies (the body's figures, its rounds …).
    context["panels"] = panels_render("orgs.body", request, body, context)
    return render(request, "orgs/body_detail.html", context)


@requires(Perm.ORG_MANAGE)
def body_create(request, pk: int):
    owner = selectors.organization_get(request.user, pk=pk, perm=Perm.ORG_MANAGE)
    form = BodyForm(request.POST or None, initial={"level": default_body_level(owner)})
    return form_page(
        request,
        form,
        lambda data: services.body_create(actor=request.user, owner_org=owner, **data),
        success=_("机构已设立。"),
        done=lambda body: body.get_absolute_url(),
        template=FORM,
        context={"owner": owner, "title": _("设立巡视巡察机构")},
    )


@requires(Perm.ORG_MANAGE)
def body_edit(request, pk: int):
    body = selectors.body_get(request.user, pk=pk, perm=Perm.ORG_MANAGE)
    fields = ("code", "name", "level", "authorized_posts", "rectification_threshold")
    form = BodyForm(request.POST or None, initial={f: getattr(body, f) for f in fields})
    return form_page(
        request,
        form,
        lambda data: services.body_update(actor=request.user, body=body, **changed(form, body, fields)),
        success=_("已保存。"),
        done=lambda body: body.get_absolute_url(),
        template=FORM,
        context={"body": body, "title": _("修改机构信息")},
    )


@requires(Perm.ORG_MANAGE)
def term_create(request, pk: int):
    body = selectors.body_get(request.user, pk=pk, perm=Perm.ORG_MANAGE)
    return form_page(
        request,
        TermForm(request.POST or None),
        lambda data: services.term_create(actor=request.user, body=body, **data),
        success=_("届次已添加。"),
        done=lambda term: term.body.get_absolute_url(),
        template=FORM,
        context={"body": body, "title": _("新增届次")},
    )


@requires(Perm.ORG_MANAGE)
def term_edit(request, pk: int):
    term = selectors.term_get(request.user, pk=pk, perm=Perm.ORG_MANAGE)
    fields = ("name", "start", "end")
    form = TermForm(request.POST or None, initial={f: getattr(term, f) for f in fields})
    return form_page(
        request,
        form,
        lambda data: services.term_update(actor=request.user, term=term, **changed(form, term, fields)),
        success=_("已保存。"),
        done=lambda term: term.body.get_absolute_url(),
        template=FORM,
        context={"body": term.body, "title": _("修改届次")},
    )
