"""The id of the request being served, so every audit event names the request that caused it.

A reverse proxy's ``X-Request-ID`` is kept when it looks like an id (letters, digits, ``-_.:``, up
to 64 characters), so the proxy's log and the ledger can be joined; otherwise one is made up. The
id is sent back in the answer's ``X-Request-ID`` header. Work outside a request (commands, the
daily job) has no id.
"""

import re
import uuid
from contextvars import ContextVar

_current: ContextVar[str] = ContextVar("lijian_request_id", default="")
_WELL_FORMED = re.compile(r"[A-Za-z0-9._:\-]{1,64}")


def current_request_id() -> str:
    return _current.get()


class RequestId:
    """Middleware: sets the request id for the duration of the request (first in the chain, so
    every later middleware's audit events carry it too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "").strip()
        request_id = offered if _WELL_FORMED.fullmatch(offered) else uuid.uuid4().hex
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request_id
        return response
