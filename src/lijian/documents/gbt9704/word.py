"""A ``Paper`` written as DOCX after GB/T 9704-2012 (being written)."""

from __future__ import annotations

from .paper import Paper
from .rendered import Rendered


def render_docx(paper: Paper) -> Rendered:
    """The DOCX of ``paper`` with the font fallbacks as warnings."""
    raise NotImplementedError
