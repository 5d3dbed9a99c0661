"""The picker: a text input for a code that suggests matches by name or code as the user types.

The submitted value is the text of the input itself (a code, or several codes separated by spaces
for ``multiple``), so the forms, services and their validation are the same as for a typed code, and
typing a code works with scripts turned off. With scripts on, htmx asks the kind's search endpoint
(``GET <url>?q=…``, answered with ``core/_picker_options.html``) and ``lijian/app.js`` fills the
input with the chosen option's code (keyboard: arrows, Enter, Escape).

Each kind's endpoint lives with its app (``orgs:pick``, ``orgs:pick_body``, ``people:pick``),
declares its permission like every route and returns only what the user may see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

# Longer queries are refused: no name or code is this long, and the answer would be empty anyway.
QUERY_MAX = 100
OPTIONS_MAX = 15
ID_MAX = 2**63 - 1  # the largest database key: a longer number names no record


class PickerInput(forms.TextInput):
    """A text input that suggests values from the search endpoint named ``url_name``.

    ``multiple``: the input holds several codes separated by spaces; choosing an option replaces the
    word being typed and keeps the others. ``params``: fixed query parameters for the endpoint (e.g.
    the body whose talent pool to search)."""

    template_name = "core/widgets/picker.html"

    def __init__(self, url_name: str, *, multiple: bool = False, params: dict | None = None, attrs=None):
        defaults = {"autocomplete": "off", "spellcheck": "false"}
        super().__init__(attrs={**defaults, **(attrs or {})})
        self.url_name = url_name
        self.multiple = multiple
        self.params = dict(params or {})

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.params = dict(self.params)
        return copy

    def search_url(self) -> str:
        url = reverse(self.url_name)
        return f"{url}?{urlencode(self.params)}" if self.params else url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["picker"] = {
            "url": self.search_url(),
            "multiple": self.multiple,
            "listbox": f"{context['widget']['attrs'].get('id') or name}-options",
        }
        return context


@dataclass(frozen=True)
class PickerOption:
    value: str  # what goes into the input: the code the form expects
    label: str  # the name shown and announced once chosen
    detail: str = ""  # what tells namesakes apart: kind, code, parent


def picker_query(request) -> str:
    """The search text of a picker request (``q``), stripped; ``""`` when absent.

    Raises ``BadRequest`` for text no name or code can hold: a NUL character (PostgreSQL refuses it
    in a query) or more than ``QUERY_MAX`` characters."""
    query = request.GET.get("q", "").strip()
    if "\x00" in query:
        raise BadRequest(_("查询中含有无效字符。"))
    if len(query) > QUERY_MAX:
        raise BadRequest(_("查询内容过长（最多 %(n)s 个字）。") % {"n": QUERY_MAX})
    return query


def picker_refusal(request, message: str) -> HttpResponse:
    """A 400 answer in the picker's own form (the message where the options would be)."""
    return render(request, "core/_picker_options.html", {"error": message}, status=400)


def picker_scope(request, name: str, get: Callable[[int], object], *, message: str):
    """The record named by query parameter ``name`` (a positive id) through ``get`` (a selector
    restricted to the user, raising ``Http404`` outside it); ``None`` when the parameter is absent.

    Raises ``BadRequest`` with ``message`` for an id that is not a positive whole number a database
    key can hold, names nothing or names something the user may not see (not told apart)."""
    value = request.GET.get(name, "")
    if value == "":
        return None
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= ID_MAX:
        raise BadRequest(message)
    try:
        return get(int(value))
    except Http404 as exc:
        raise BadRequest(message) from exc


def picker_answer(request, search: Callable[[str, int], Iterable[PickerOption]]) -> HttpResponse:
    """The options fragment for ``search(query, limit)`` (the first ``OPTIONS_MAX``, and a hint to
    type more when there are more; nothing for an empty query, without calling ``search``), or 400
    with the reason for a query ``picker_query`` refuses.

    ``search`` must restrict to what the requesting user may see: the answer shows all it returns."""
    try:
        query = picker_query(request)
    except BadRequest as exc:
        return picker_refusal(request, str(exc))
    options = list(search(query, OPTIONS_MAX + 1)) if query else []
    context = {"q": query, "options": options[:OPTIONS_MAX], "more": len(options) > OPTIONS_MAX}
    return render(request, "core/_picker_options.html", context)
