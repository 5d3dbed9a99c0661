from django import forms, template

register = template.Library()


@register.filter
def bs(field):
    """Render a bound form field with Bootstrap's class for its widget."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.filter
def percent(value) -> str:
    """A share (0.7234) as a percentage with one decimal ("72.3%")."""
    try:
        return f"{float(value) * 100:.1f}%"
    except (TypeError, ValueError):
        return "—"
