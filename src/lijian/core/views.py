from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.i18n import set_language

from .params import safe_next
from .permissions import Perm, access_for, requires
from .reference import TABLES, reference_save
from .registry import HOME


@requires(Perm.SIGNED_IN)
def home(request):
    """The signed-in user's scope: what the apps registered for the home page (their roles and the
    organisations each covers …) and the permissions the user holds."""
    access = access_for(request.user)
    context = {
        "is_superuser": request.user.is_superuser,
        "perms": sorted(p for p in Perm if p not in (Perm.PUBLIC, Perm.SIGNED_IN) and access.has(p)),
    }
    for provide in HOME.values():
        context.update(provide(request))
    return render(request, "core/home.html", context)


@requires(Perm.PUBLIC)
def language_switch(request):
    """Django's ``set_language``, its return address (the page's ``next``, else the referring page)
    held to the site's one rule for return addresses (``safe_next``): a local path, else home."""
    response = set_language(request)
    if "Location" in response:
        response["Location"] = safe_next(request, response["Location"], default=reverse("core:home"))
    return response


@requires(Perm.REFERENCE_MANAGE)
def reference_tables(request):
    return render(request, "core/reference.html", {"tables": TABLES.values()})


@requires(Perm.REFERENCE_MANAGE)
def reference_table(request, key: str, pk: int | None = None):
    """The entries of one table, and the form to add one (or to change entry ``pk``)."""
    table = TABLES.get(key)
    if table is None:
        raise Http404
    instance = get_object_or_404(table.model, pk=pk) if pk else None
    form = table.form_class()(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        reference_save(actor=request.user, table=table, form=form)
        messages.success(request, _("已保存。"))
        return redirect("core:reference_table", key=key)
    return render(
        request,
        "core/reference_table.html",
        {
            "table": table,
            "entries": table.model.objects.all(),
            "form": form,
            "editing": instance,
            "columns": [table.model._meta.get_field(f).verbose_name for f in table.fields],
            "rows": [(e, table.cells(e)) for e in table.model.objects.all()],
        },
    )
