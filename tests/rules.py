"""What the rules-once tests share: the single refusal a page, the API or the ledger import answers,
as ``(field, message)``, or ``None`` when the write went through. Each asserts there is exactly one."""

from __future__ import annotations


def page_refusal(answer, form: str = "form"):
    """The one error of the page's ``form`` (a 200 answer), or ``None`` after a redirect (302)."""
    if answer.status_code == 302:
        return None
    assert answer.status_code == 200
    errors = answer.context[form].errors
    assert len(errors) == 1, errors
    ((field, messages),) = errors.items()
    return field, " ".join(messages)


def api_refusal(answer, ok: int):
    """The one field of an API 422 answer's detail, or ``None`` when the answer is ``ok``."""
    if answer.status_code == ok:
        return None
    assert answer.status_code == 422, answer.content
    detail = answer.json()["detail"]
    assert len(detail) == 1, detail
    ((field, messages),) = detail.items()
    return field, " ".join(messages)


def ledger_refusal(report, file: str, line: int):
    """The one error of a ledger import's ``report``, which must be on ``file`` at ``line``, as
    ``(column, reason)``; ``None`` when the import went through."""
    if report.ok:
        return None
    assert len(report.errors) == 1, report.errors
    (error,) = report.errors
    assert (error.file, error.line) == (file, line)
    return error.column, error.reason
