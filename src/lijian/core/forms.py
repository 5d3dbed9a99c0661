from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


def add_service_errors(form: forms.Form, exc: ValidationError, field: str | None = None) -> None:
    """Show a service's ``ValidationError`` on the form: per field when it names fields, else on
    ``field`` (or the whole form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(field if field in form.fields else None, message)


def changed(form: forms.Form, instance, fields) -> dict:
    """The cleaned values of ``fields`` that differ from ``instance``'s."""
    return {f: form.cleaned_data[f] for f in fields if form.cleaned_data[f] != getattr(instance, f)}


def form_page(request, form: forms.Form, save, *, success: str, done, template: str, context: dict):
    """The usual form page: on a valid POST call ``save(cleaned_data)`` (a service); on success flash
    ``success`` and redirect to ``done(result)``; a service's ``ValidationError`` goes back onto the
    form; otherwise render ``template`` with the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(done(result))
    return render(request, template, {"form": form, **context})
