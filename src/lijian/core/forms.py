from django import forms
from django.core.exceptions import ValidationError


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
