"""The 文书 pages: the list of official documents, a new draft, a document (its HTML with linked
figures, its versions, the office's wording, regenerate and issue), and the download of a version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lijian.core.forms import add_service_errors
from lijian.core.lists import list_page
from lijian.core.params import BadParameter, shown
from lijian.core.permissions import Perm, access_for, requires

from . import official, selectors, tables
from .choices import FileFormat
from .filters import DocumentFilter
from .forms import DocumentDraftForm, RegenerateForm, WordingForm
from .gbt9704 import figures_of, paper_from_dict, render_html
from .kinds import ISSUE, KINDS, kind_choices, kind_label
from .wording import editable_paragraphs, template_of


def _may_issue(user) -> bool:
    return access_for(user).has(Perm.DOCUMENT_ISSUE)


@requires(Perm.DOCUMENT_VIEW)
def official_list(request):
    rows = selectors.documents_visible(request.user)
    return list_page(
        request,
        tables.DOCUMENTS,
        rows,
        filterset=DocumentFilter(request.GET or None, queryset=rows),
        context={
            "can_draft": _may_issue(request.user) and bool(KINDS),
            "can_ledger": access_for(request.user).has(Perm.LEDGER_EXPORT),
        },
    )


def _issuing_organs(user) -> list[tuple[int, str]]:
    """Every organ the user may draft some kind for, each once."""
    seen: dict[int, str] = {}
    for kind in KINDS.values():
        for pk, name in kind.organs_issuing(user):
            seen.setdefault(pk, name)
    return sorted(seen.items(), key=lambda item: item[1])


@requires(Perm.DOCUMENT_ISSUE)
def official_new(request):
    kind = request.GET.get("kind", "").strip()
    if kind and kind not in KINDS:
        raise BadParameter(
            _("链接中的文书种类“%(value)s”无效：应为%(options)s之一。")
            % {"value": shown(kind), "options": "、".join(label for _code, label in kind_choices()) or "—"}
        )
    form = DocumentDraftForm(
        request.POST or None,
        kinds=kind_choices(),
        organs=_issuing_organs(request.user),
        initial={"kind": kind},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = official.document_draft(
                actor=request.user,
                kind=data["kind"],
                organ_id=data["organ"],
                term=data["term"],
                year=data["year"],
                as_of=data["as_of"],
                named=data["named"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except (PermissionDenied, Http404):
            form.add_error("organ", _("您不能以该机关名义起草这种文书。"))
        else:
            messages.success(request, _("草稿已生成。"))
            return redirect("documents:official", pk=document.pk)
    return render(
        request,
        "documents/official_form.html",
        {"form": form, "title": _("新建文书"), "back": reverse("documents:official_list")},
    )


def _can_issue(user, document) -> bool:
    if not document.is_draft or not _may_issue(user):
        return False
    try:
        KINDS.get(document.kind).organ_get(user, document.organ_id, ISSUE)
    except (PermissionDenied, Http404):
        return False
    return True


def _refused_as_issued(request, document, *, typed: bool):
    """Flash why a write to an issued document (issued in another tab meanwhile) was refused and go
    back to its page, saying that the text typed in was not saved."""
    message = _("该文书已印发，不能再修改文字或重新生成。")
    if typed:
        message += _("您输入的文字没有保存。")
    messages.error(request, message)
    return redirect("documents:official", pk=document.pk)


def _issued_meanwhile(exc: ValidationError) -> bool:
    """Whether the service refused because the document was issued after the page read it."""
    return not hasattr(exc, "error_dict") and any(e.code == "issued" for e in exc.error_list)


def _detail(request, document, *, wording_form=None, regenerate_form=None, status=200):
    paper = paper_from_dict(document.paper)
    can_issue = _can_issue(request.user, document)
    if can_issue and wording_form is None:
        computed = paper_from_dict(document.computed)
        paragraphs = editable_paragraphs(computed)
        templates = {p.key: document.wording.get(p.key) or template_of(p) for p in paragraphs}
        wording_form = WordingForm(paragraphs=paragraphs, templates=templates)
    return render(
        request,
        "documents/official_detail.html",
        {
            "document": document,
            "kind_label": kind_label(document.kind),
            "html": render_html(paper),
            "figures": figures_of(paper),
            "versions": selectors.versions_of(document),
            "can_issue": can_issue,
            # A draft beside others on the same subject says so for as long as it is a draft.
            "alike": selectors.documents_alike(request.user, document) if document.is_draft else [],
            "wording_form": wording_form,
            "regenerate_form": regenerate_form or RegenerateForm(initial={"as_of": document.as_of}),
        },
        status=status,
    )


@requires(Perm.DOCUMENT_VIEW)
def official_detail(request, pk: int):
    return _detail(request, selectors.document_get(request.user, pk))


@requires(Perm.DOCUMENT_ISSUE)
@require_POST
def official_wording(request, pk: int):
    document = selectors.document_get(request.user, pk, ISSUE)
    if not document.is_draft:
        return _refused_as_issued(request, document, typed=True)
    computed = paper_from_dict(document.computed)
    paragraphs = editable_paragraphs(computed)
    templates = {p.key: document.wording.get(p.key) or template_of(p) for p in paragraphs}
    form = WordingForm(request.POST, paragraphs=paragraphs, templates=templates)
    if form.is_valid():
        try:
            official.document_wording_edit(actor=request.user, document=document, wording=form.wording())
        except ValidationError as exc:
            if _issued_meanwhile(exc):
                return _refused_as_issued(request, document, typed=True)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("文字已保存，数字仍按台账计算。"))
            return redirect("documents:official", pk=document.pk)
    return _detail(request, document, wording_form=form)


@requires(Perm.DOCUMENT_ISSUE)
@require_POST
def official_regenerate(request, pk: int):
    document = selectors.document_get(request.user, pk, ISSUE)
    if not document.is_draft:
        return _refused_as_issued(request, document, typed=False)
    form = RegenerateForm(request.POST)
    if form.is_valid():
        try:
            done = official.document_regenerate(
                actor=request.user, document=document, as_of=form.cleaned_data["as_of"]
            )
        except ValidationError as exc:
            if _issued_meanwhile(exc):
                return _refused_as_issued(request, document, typed=False)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已按新的数据截至日期重新生成，修改过的文字已保留。"))
            if done.dropped:
                messages.warning(
                    request,
                    _("%(n)s 段修改过的文字因数字变化不再适用，已恢复为系统生成的文字。")
                    % {"n": len(done.dropped)},
                )
            if done.stale_dates:
                messages.warning(
                    request,
                    _("修改过的文字保留原样，其中以文字写出的日期没有更新，请核对：%(dates)s。")
                    % {
                        "dates": "；".join(
                            _("%(where)s %(old)s → %(new)s") % {"where": where, "old": old, "new": new}
                            for where, old, new in done.stale_dates
                        )
                    },
                )
            return redirect("documents:official", pk=document.pk)
    return _detail(request, document, regenerate_form=form)


@requires(Perm.DOCUMENT_ISSUE)
@require_POST
def official_issue(request, pk: int):
    document = selectors.document_get(request.user, pk, ISSUE)
    try:
        document = official.document_issue(actor=request.user, document=document)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已印发，文号 %(number)s。") % {"number": document.number})
    return redirect("documents:official", pk=document.pk)


@requires(Perm.DOCUMENT_VIEW)
def official_version(request, pk: int):
    """A version's rendering status (the page polls it while the worker renders)."""
    version = selectors.version_get(request.user, pk)
    return render(request, "documents/_version.html", {"v": version})


@requires(Perm.DOCUMENT_VIEW)
def official_download(request, pk: int, fmt: str):
    if fmt not in FileFormat.values:
        raise BadParameter(_("链接中的文件格式“%(value)s”无效：应为 docx 或 pdf。") % {"value": shown(fmt)})
    version = selectors.version_get(request.user, pk)
    document = version.document
    try:
        handle = official.version_open(
            actor=request.user,
            version=version,
            fmt=fmt,
            organ_path=selectors.document_organ_path(document),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("documents:official", pk=document.pk)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=official.download_name(document, version, fmt),
        content_type=official.CONTENT_TYPES[fmt],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
