"""Reference pages of the findings: the problem taxonomy (versioned) and the receiving departments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lijian.accounts.models import User
from lijian.core.forms import add_service_errors
from lijian.core.permissions import Perm, access_for, requires
from lijian.orgs.models import Organization

from . import services
from .forms import CategoryForm, DepartmentForm, StaffForm, VersionForm
from .models import Department, Framework, Problem


@requires(Perm.FINDINGS_VIEW)
def taxonomy(request):
    """Every framework with its categories; administrators add categories to frameworks no problem
    uses yet, or make a new version of one in use."""
    frameworks = Framework.objects.prefetch_related("categories").order_by("level", "-valid_from")
    in_use = set(Problem.objects.values_list("category__framework", flat=True).distinct())
    return render(
        request,
        "findings/taxonomy.html",
        {
            "frameworks": frameworks,
            "in_use": in_use,
            "can_edit": access_for(request.user).has(Perm.REFERENCE_MANAGE),
            "category_form": CategoryForm(),
            "version_form": VersionForm(),
        },
    )


@requires(Perm.REFERENCE_MANAGE)
@require_POST
def taxonomy_edit(request, pk: int, action: str):
    framework = get_object_or_404(Framework, pk=pk)
    form = (CategoryForm if action == "category" else VersionForm)(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(" ".join(e for errors in form.errors.values() for e in errors))
        if action == "category":
            services.category_save(actor=request.user, framework=framework, **form.cleaned_data)
            messages.success(request, _("分类已保存。"))
        elif action == "version":
            new = services.framework_new_version(actor=request.user, framework=framework, **form.cleaned_data)
            messages.success(request, _("已修订为新版本“%(name)s”。") % {"name": new.name})
        else:
            messages.error(request, _("未知的操作。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("findings:taxonomy")


def _committees(user):
    return Organization.objects.filter(
        access_for(user).q(Perm.ORG_MANAGE),
        kind__in=["municipal_committee", "district_committee", "county_committee", "provincial_committee"],
    ).order_by("path")


@requires(Perm.FINDINGS_VIEW)
def departments(request):
    rows = (
        Department.objects.filter(access_for(request.user).q(Perm.FINDINGS_VIEW, "committee__path"))
        .select_related("committee")
        .prefetch_related("staff")
    )
    committees = _committees(request.user)
    form = DepartmentForm(request.POST or None, committees=committees)
    if request.method == "POST" and form.is_valid():
        try:
            services.department_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("协作部门已新增。"))
            return redirect("findings:departments")
    return render(
        request,
        "findings/departments.html",
        {
            "departments": rows,
            "form": form if committees.exists() else None,
            "staff_form": StaffForm(),
            "can_manage": {
                d.pk for d in rows if access_for(request.user).covers(Perm.ORG_MANAGE, d.committee.path)
            },
        },
    )


@requires(Perm.ORG_MANAGE)
@require_POST
def department_staff(request, pk: int):
    department = (
        Department.objects.filter(access_for(request.user).q(Perm.ORG_MANAGE, "committee__path"), pk=pk)
        .select_related("committee")
        .first()
    )
    if department is None:
        from django.http import Http404

        raise Http404
    form = StaffForm(request.POST)
    names = form.data.get("usernames", "").replace("，", ",").replace(",", " ").split()
    users = list(User.objects.filter(username__in=names))
    missing = sorted(set(names) - {u.username for u in users})
    try:
        if missing:
            raise ValidationError(_("没有这些账号：%(names)s。") % {"names": "、".join(missing)})
        services.department_set_staff(actor=request.user, department=department, users=users)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("经办人员已更新。"))
    return redirect("findings:departments")
