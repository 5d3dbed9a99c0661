"""The kinds of official document (公文) lijian drafts, numbers and issues, registered by the apps
that know their content.

``documents`` sits below every workflow app (DESIGN.md §5), so it knows neither the issuing organ
(an inspection body, a committee …) nor the records a document reports on. An upper app describes
each kind with a ``DocumentKind`` and registers it from its ``AppConfig.ready()``::

    register_document_kind(DocumentKind(code="rectification_notice", label=_("整改情况通报"), …))

``documents.official`` then drafts, regenerates, numbers and issues documents of that kind through
the callables the kind provides, and refers to the issuing organ generically: ``organ_type`` (a
label such as ``"orgs.body"``), the organ's id and the name it had when the document was drafted.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lijian.core.registry import Registry

# The two things a user does to an organ's documents: read them, or draft, edit and issue them.
VIEW = "view"
ISSUE = "issue"


@dataclass(frozen=True)
class DocumentKind:
    """One kind of official document.

    - ``code``: stable key stored on every document of the kind (``[a-z0-9_]``, at most 40).
    - ``label``: its name (通报, 工作报告 …), a lazy translation.
    - ``organ_type``: the issuing organ's model label (``"orgs.body"``), stored on the documents.
    - ``prefix_for(organ) -> str``: the 发文字号 prefix (机关代字), e.g. ``"和巡办"``.
    - ``build(organ, params, as_of) -> Paper``: the document computed from the records as they stood
      on ``as_of``; its paragraphs carry a ``key`` so the office can edit their wording, its
      figures a ``key`` unique in the paper. Raises ``ValidationError`` when the records cannot
      make the document (no term, nothing to report).
    - ``organ_get(user, organ_id, action) -> organ``: the issuing organ for ``action`` (``VIEW`` or
      ``ISSUE``); raises ``Http404`` when the user may not see it (or ``organ_id`` names none) and
      ``PermissionDenied`` when they see it but may not issue from it — like an app's ``<entity>_get``.
    - ``organs_visible(user) -> ids``: the ids of the organs whose documents of this kind the user may
      read (a ``values("pk")`` queryset or a list), for the document list.
    - ``organs_issuing(user) -> [(id, name)]``: the organs the user may draft this kind for (the
      "新建文书" form's choices).
    - ``params_parse(organ, term, year, named) -> dict``: the document's parameters (JSON-safe) from
      the form's or the command line's term name, year and ``named`` (whom a notice names, e.g.
      ``committees``/``persons``; a kind that names no one refuses a non-empty one), any of them
      empty; raises ``ValidationError`` for a term, year or ``named`` the organ or kind has not.
    - ``organ_from_code(code) -> organ``: the organ with this code, for the command line (no user:
      the operator runs it); raises ``ValidationError`` when none has it.
    - ``organ_name(organ) -> str`` and ``organ_path(organ) -> str``: the name stored with a document
      and the tree path its audit events are scoped to (defaults: ``str`` and ``""``).
    """

    code: str
    label: Any
    organ_type: str
    prefix_for: Callable[[Any], str]
    build: Callable[[Any, dict, datetime.date], Any]
    organ_get: Callable[[Any, Any, str], Any]
    organs_visible: Callable[[Any], Iterable[int]]
    organs_issuing: Callable[[Any], list[tuple[int, str]]]
    params_parse: Callable[[Any, str, int | None, str], dict]
    organ_from_code: Callable[[str], Any] | None = None
    organ_name: Callable[[Any], str] = str
    organ_path: Callable[[Any], str] = lambda organ: ""


KINDS: Registry[DocumentKind] = Registry("document kinds")


def register_document_kind(kind: DocumentKind, *, order: int = 0) -> DocumentKind:
    """Add ``kind`` (replacing a kind of the same code: ``ready()`` may run twice); returns it."""
    return KINDS.register(kind.code, kind, order=order)


def document_kind(code: str) -> DocumentKind:
    """The registered kind ``code``; ``ValidationError`` naming the kinds there are otherwise."""
    kind = KINDS.get(code)
    if kind is None:
        raise ValidationError(
            _("没有“%(code)s”这种文书；可选：%(kinds)s。")
            % {"code": code, "kinds": "、".join(f"{k.code}（{k.label}）" for k in KINDS.values()) or "—"},
            code="kind",
        )
    return kind


def kind_choices() -> list[tuple[str, str]]:
    """``(code, label)`` of every registered kind, in registration order."""
    return [(kind.code, str(kind.label)) for kind in KINDS.values()]


def kind_label(code: str) -> str:
    """The kind's label, or its code when no app registers it any more (an old document)."""
    kind = KINDS.get(code)
    return str(kind.label) if kind else code
