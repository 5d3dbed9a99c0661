import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lijian.core.forms import add_service_errors
from lijian.core.permissions import Perm, access_for, requires

from .forms import LedgerExportForm, LedgerUploadForm
from .jobs import job_errors_file
from .ledger.importer import ledger_export
from .ledger.registry import registered_files
from .selectors import ledger_job_get, ledger_jobs_for_user
from .services import ledger_job_confirm, ledger_job_submit


@requires(Perm.LEDGER_EXPORT)
def ledger(request):
    """The ledger page: export what one may see; import a bundle (office staff)."""
    return _ledger_page(
        request, LedgerUploadForm(), can_import=access_for(request.user).has(Perm.LEDGER_IMPORT)
    )


def _ledger_page(request, form, *, can_import: bool):
    """The ledger page with ``form`` as its import form (a refused upload shows its errors)."""
    return render(
        request,
        "documents/ledger.html",
        {
            "form": form,
            "export_form": LedgerExportForm(),
            "jobs": ledger_jobs_for_user(request.user),
            "files": registered_files(),
            "can_import": can_import,
            "can_export": access_for(request.user).has(Perm.LEDGER_EXPORT),
        },
    )


@requires(Perm.LEDGER_IMPORT)
@require_POST
def ledger_upload(request):
    form = LedgerUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            job = ledger_job_submit(
                actor=request.user, upload=form.cleaned_data["bundle"], preview=form.cleaned_data["preview"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc, field="bundle")
        else:
            return redirect("documents:job", pk=job.pk)
    return _ledger_page(request, form, can_import=True)


@requires(Perm.LEDGER_IMPORT)
def job(request, pk: int):
    job = ledger_job_get(request.user, pk)
    template = "documents/_job_status.html" if request.headers.get("HX-Request") else "documents/job.html"
    return render(request, template, {"job": job})


@requires(Perm.LEDGER_IMPORT)
def job_errors_link(request, pk: int):
    """The job page's errors download link, which its polling asks for while the job builds the
    errors workbook (the status itself is not sent again: it may list 10,000 errors)."""
    return render(request, "documents/_job_errors_link.html", {"job": ledger_job_get(request.user, pk)})


@requires(Perm.LEDGER_IMPORT)
@require_POST
def job_confirm(request, pk: int):
    """Write the bundle a preview checked: its import proper is queued as a job of its own."""
    job = ledger_job_get(request.user, pk)
    try:
        confirmed = ledger_job_confirm(actor=request.user, job=job)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("documents:job", pk=job.pk)
    return redirect("documents:job", pk=confirmed.pk)


@requires(Perm.LEDGER_IMPORT)
def job_errors(request, pk: int):
    """The errors of a finished import as the workbook its job built (the list, and the office's
    workbook or files with the bad cells marked); built now for a job that has none."""
    job = ledger_job_get(request.user, pk)
    if not job.finished or (job.report or {}).get("ok"):
        raise Http404
    name = f"{Path(job.original_name).stem}-错误.xlsx"
    return FileResponse(open(job_errors_file(job), "rb"), as_attachment=True, filename=name)  # noqa: SIM115


@requires(Perm.LEDGER_EXPORT)
@require_POST
def ledger_download(request):
    form = LedgerExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择导出格式。"))
        return redirect("documents:ledger")
    suffix = form.cleaned_data["format"]
    work = Path(settings.DATA_DIR) / "exports"
    work.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=work, suffix=f".{suffix}", delete=False)  # noqa: SIM115
    handle.close()
    target = Path(handle.name)
    name = f"lijian-ledger-{timezone.localdate():%Y%m%d}.{suffix}"
    ledger_export(target, actor=request.user, display_name=name)
    stream = open(target, "rb")  # noqa: SIM115  FileResponse closes it
    target.unlink()  # the open handle keeps the data until the response is sent
    return FileResponse(stream, as_attachment=True, filename=name)
