"""A ``Paper`` as HTML for the web view (being written)."""

from __future__ import annotations

from django.utils.safestring import SafeString

from .paper import Paper


def render_html(paper: Paper) -> SafeString:
    """The paper as escaped HTML, every figure a link to its ``href``."""
    raise NotImplementedError
