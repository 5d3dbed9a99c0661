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


@register.simple_tag
def picker(url_name, name, *, label, key="", value="", multiple=False, css="form-control", **params):
    """A picker (``PickerInput``) written straight into a template, for forms not rendered from a
    ``Form`` (one per row of a table): ``{% picker "people:pick" "add_code" label=… key=… body=… %}``.
    ``key`` keeps the ids of several pickers of one name apart; the other keywords become the search
    endpoint's fixed parameters."""
    from lijian.core.widgets import PickerInput

    widget = PickerInput(url_name, multiple=multiple, params=params)
    attrs = {"id": f"id_{name}-{key}" if key != "" else f"id_{name}", "class": css}
    return widget.render(name, value or None, attrs={**attrs, "aria-label": label, "placeholder": label})
