"""Registries through which apps plug their content into the kernel.

The kernel owns mechanisms (the API root, the daily job, the menu, reference-data pages, detail
panels, the home page); each app registers its content from its ``AppConfig.ready()``, so core
imports no domain app and a new app touches no file in core.

Every registry holds entries by key and lists them in ``(order, key)`` order, whatever order the
apps' ``ready()`` ran in. Registering a key again replaces its entry: ``ready()`` may run more than
once (``override_settings(INSTALLED_APPS=…)`` runs every app's ``ready()`` again).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

T = TypeVar("T")


class Registry(Generic[T]):
    """Entries of one kind, by key, read in ``(order, key)`` order (read like a dict: iterating gives keys)."""

    def __init__(self, name: str):
        self.name = name
        self._entries: dict[str, tuple[int, T]] = {}

    def register(self, key: str, entry: T, *, order: int = 0) -> T:
        """Add ``entry`` under ``key`` (replacing an entry of that key); returns ``entry``."""
        self._entries[key] = (order, entry)
        return entry

    def unregister(self, key: str) -> None:
        """Drop the entry of ``key`` (none: nothing happens)."""
        self._entries.pop(key, None)

    def get(self, key: str) -> T | None:
        found = self._entries.get(key)
        return found[1] if found else None

    def keys(self) -> list[str]:
        return [key for key, _entry in self.items()]

    def items(self) -> list[tuple[str, T]]:
        ordered = sorted(self._entries.items(), key=lambda item: (item[1][0], item[0]))
        return [(key, entry) for key, (_order, entry) in ordered]

    def values(self) -> list[T]:
        return [entry for _key, entry in self.items()]

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def snapshot(self) -> dict[str, tuple[int, T]]:
        """The entries as they are now, for ``restore`` (tests that install an app for a while)."""
        return dict(self._entries)

    def restore(self, entries: dict[str, tuple[int, T]]) -> None:
        self._entries = dict(entries)


# --- menu -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MenuEntry:
    """An area of the product in the top menu: shown as a link to ``url_name`` to a user holding
    ``perm``, greyed out to others. Entries sharing a ``key`` are alternatives: the first one the
    user may open gives the link. ``active(app_name, view_name)`` says whether a page belongs to
    the area (default: pages of the URL namespace ``key``)."""

    key: str
    label: Any
    url_name: str
    perm: str
    active: Callable[[str, str], bool] | None = None

    def is_active(self, app_name: str, view_name: str) -> bool:
        if self.active is not None:
            return self.active(app_name, view_name)
        return app_name == self.key


MENU: Registry[MenuEntry] = Registry("menu")


def register_menu(entry: MenuEntry, *, order: int) -> MenuEntry:
    """Add ``entry`` to the top menu at position ``order`` (keyed by its URL name)."""
    return MENU.register(entry.url_name, entry, order=order)


# --- detail panels --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """A card an app adds to another app's detail page. ``host`` names the page (e.g.
    ``"orgs.organization"``), ``slot`` the place on it the host's template offers (``{{ panels.<slot>
    }}``). ``context(request, obj, page)`` — ``obj`` the page's record, ``page`` the host's own
    context — returns the context of ``template``, or ``None`` when the card is not shown to this
    user for this record."""

    host: str
    slot: str
    template: str
    context: Callable[[Any, Any, dict], dict | None]


PANELS: Registry[Panel] = Registry("panels")


def register_panel(key: str, panel: Panel, *, order: int) -> Panel:
    """Add ``panel`` (under a key unique across hosts) at position ``order`` of its slot."""
    return PANELS.register(key, panel, order=order)


def panels_render(host: str, request, obj, page: dict) -> dict[str, str]:
    """The HTML of the panels registered for the page ``host`` that show for this user and ``obj``,
    by slot, each slot's panels in order (a slot with none is absent: the template prints nothing)."""
    slots: dict[str, list[str]] = {}
    for panel in PANELS.values():
        if panel.host != host:
            continue
        context = panel.context(request, obj, page)
        if context is not None:
            slots.setdefault(panel.slot, []).append(render_to_string(panel.template, context, request))
    # Each panel rendered through its template, which escaped what it holds.
    return {slot: mark_safe("".join(html)) for slot, html in slots.items()}


# --- model labels ---------------------------------------------------------------------------------

# A model that moved to another app keeps its former label (``app_label.model``) in the audit events
# written before the move: the ledger is hash-chained, so they are never rewritten. The app that now
# holds the model registers the former label here, and whatever reads events by model label resolves it.
MODEL_ALIASES: Registry[str] = Registry("model aliases")


def register_model_alias(former: str, current: str) -> None:
    """Read the model label ``former`` (lower case, as events store it) as ``current``."""
    MODEL_ALIASES.register(former, current)


def model_label_current(label: str) -> str:
    """The label a model recorded as ``label`` has now (``label`` itself when it never moved)."""
    return MODEL_ALIASES.get(label) or label


def model_labels_former(label: str) -> list[str]:
    """The labels the model ``label`` had before it moved (none: an empty list), in order."""
    return [former for former, current in MODEL_ALIASES.items() if current == label]


# --- home page ------------------------------------------------------------------------------------

HOME: Registry[Callable[[Any], dict]] = Registry("home")


def register_home(key: str, context: Callable[[Any], dict], *, order: int = 0) -> None:
    """Add what ``context(request)`` returns to the home page's context (keys the template uses)."""
    HOME.register(key, context, order=order)


@dataclass
class Snapshot:
    """Some registries' entries at one moment (``registries_snapshot``), to be put back later."""

    saved: list[tuple[Registry, dict]] = field(default_factory=list)

    def restore(self) -> None:
        for registry, entries in self.saved:
            registry.restore(entries)


def registries_snapshot(*registries: Registry) -> Snapshot:
    """Save the entries of ``registries`` for ``Snapshot.restore`` (a test installing an app for a
    while: ``override_settings`` puts the app list back, not what the apps registered)."""
    return Snapshot([(r, r.snapshot()) for r in registries])
