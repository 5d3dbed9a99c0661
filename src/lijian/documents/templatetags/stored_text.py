"""Template filters for texts stored frozen in Chinese (a document's figures, as issued)."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def in_reader_language(text: str) -> str:
    """``text`` in the active language when it is a message of the catalogue (a figure's label or
    definition as the figures module wrote it); any other text (one filled in with dates or names)
    as stored. Never the catalogue's header for an empty text."""
    return gettext(text) if text else ""
