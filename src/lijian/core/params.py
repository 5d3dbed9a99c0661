"""Reading values out of a URL: each is what it claims, or the request is refused with a reason.

A value no record or date fits is never silently ignored nor allowed to reach the database (where a
20-digit number overflows and NUL is refused): the helpers raise ``BadParameter``, which
``core.middleware.BadRequestAnswer`` turns into a 400 page (JSON ``{"detail": ...}`` under /api/)
carrying the message. List filters use forms instead: ``filter_status`` gives their page 400 when a
filter has an error, the error shown beside the filter.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated
from urllib.parse import unquote

from django.core.exceptions import BadRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from pydantic import Field

# The largest id a database key holds (a 64-bit signed integer): a longer number names no record.
ID_MAX = 2**63 - 1


# API query parameters: the schema refuses (422) what no record or page can be.
ApiId = Annotated[int, Field(ge=1, le=ID_MAX, description="记录编号（正整数）")]
ApiAfter = Annotated[int, Field(ge=0, le=ID_MAX, description="上一页最后一条的编号（键集分页）")]
ApiLimit = Annotated[int, Field(ge=1, le=200, description="每页条数（1–200）")]


class BadParameter(BadRequest):
    """A value in the URL that cannot be what it names; answered 400 with this message."""


def shown(value: str) -> str:
    """``value`` as it may be echoed in a message: printable and short."""
    value = "".join(c if c.isprintable() else "?" for c in value)
    return value if len(value) <= 20 else value[:20] + "…"


def parse_id(value: str | None, *, label: str) -> int | None:
    """The positive id in ``value``; ``None`` when ``value`` is absent or empty.

    Raises ``BadParameter`` (naming ``label``) for anything that is not a whole number from 1 to
    ``ID_MAX``."""
    if value is None or value == "":
        return None
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= ID_MAX:
        raise BadParameter(
            _("链接中的%(label)s“%(value)s”无效：应为正整数编号。") % {"label": label, "value": shown(value)}
        )
    return int(value)


def query_id(request, name: str, *, label: str | None = None) -> int | None:
    """The positive id in query parameter ``name`` (see ``parse_id``)."""
    return parse_id(request.GET.get(name), label=label or name)


def parse_date(value: str | None, *, label: str) -> datetime.date | None:
    """The ISO date (YYYY-MM-DD) in ``value``; ``None`` when absent or empty.

    Raises ``BadParameter`` for text that is not a real date (``2026-13-45``)."""
    if value is None or value == "":
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise BadParameter(
            _("链接中的%(label)s“%(value)s”不是有效日期，请使用“年-月-日”格式，如 2026-06-30。")
            % {"label": label, "value": shown(value)}
        ) from None


def query_date(request, name: str, *, label: str | None = None) -> datetime.date | None:
    """The ISO date in query parameter ``name`` (see ``parse_date``)."""
    return parse_date(request.GET.get(name), label=label or name)


def query_choice(request, name: str, choices, *, label: str | None = None) -> str:
    """The value of query parameter ``name`` when it is one of ``choices`` (a ``TextChoices``); ``""``
    when absent or empty. Raises ``BadParameter`` naming the values it can take otherwise."""
    value = request.GET.get(name, "").strip()
    if value == "" or value in choices.values:
        return value
    raise BadParameter(
        _("链接中的%(label)s“%(value)s”无效：应为%(options)s之一。")
        % {
            "label": label or name,
            "value": shown(value),
            "options": "、".join(str(text) for text in choices.labels),
        }
    )


def safe_next(request, target: str | None, default: str) -> str:
    """``target`` when it is a page of this site to send the user on to, else ``default``.

    The one check of every return address taken from a request (``next``): only a local path is
    kept — it starts with one ``/``, holds no backslash, whitespace or control character, and
    ``url_has_allowed_host_and_scheme`` accepts it for this host (https only when the request came
    over https). ``javascript:``, ``//host``, ``/\\host``, any absolute URL and anything that
    decodes to one fall back to ``default``, so a link or redirect built from the answer never
    leaves the site nor runs script."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(c == "\\" or c.isspace() or not c.isprintable() for c in target):
        return default
    if unquote(target).startswith(("//", "/\\")):  # a server or browser that decodes first
        return default
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    return target


def filter_status(form) -> int:
    """The status of a list page filtered by ``form``: 400 when a filter value was refused (the page
    shows the error beside it and says the filters were not applied), else 200."""
    return 400 if form.is_bound and not form.is_valid() else 200
