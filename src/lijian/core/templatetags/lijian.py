from django import forms, template
from django.utils.html import format_html, format_html_join

from lijian.core.widgets import PickerInput

register = template.Library()


def _choices(field, css: str):
    """A list of radio buttons or checkboxes (``RadioSelect``, ``CheckboxSelectMultiple``), each a
    Bootstrap form-check: the input with ``css`` and its own label beside it."""
    options = []
    for option in field.subwidgets:
        option.data["attrs"] = {**option.data["attrs"], "class": css}
        options.append((option.tag(), option.id_for_label, option.choice_label))
    invalid = " is-invalid" if field.errors else ""  # shows the field's .invalid-feedback below
    return format_html(
        '<div id="{}" class="lj-choices{}">{}</div>',
        field.auto_id,
        invalid,
        format_html_join(
            "",
            '<div class="form-check">{} <label class="form-check-label" for="{}">{}</label></div>',
            options,
        ),
    )


@register.filter
def bs(field):
    """Render a bound form field with Bootstrap's class for its widget: a checkbox, or each choice of
    a radio or checkbox list, as a form-check input (a form-control would hide whether it is ticked)."""
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect):  # CheckboxSelectMultiple is one too
        return _choices(field, "form-check-input" + (" is-invalid" if field.errors else ""))
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
def local_url(value) -> str:
    """``value`` when it is a path on this site ("/findings/problems/3/"), else "": a link stored with a
    record never leads off the site or runs script (``javascript:``, ``//evil.example``)."""
    url = str(value or "")
    return url if url.startswith("/") and not url.startswith(("//", "/\\")) else ""


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
    widget = PickerInput(url_name, multiple=multiple, params=params)
    attrs = {"id": f"id_{name}-{key}" if key != "" else f"id_{name}", "class": css}
    return widget.render(name, value or None, attrs={**attrs, "aria-label": label, "placeholder": label})
