"""What a renderer gives back, and the error of a renderer that cannot run here."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Rendered:
    """The bytes of a rendered document and the warnings (in Chinese) a reader must see with it,
    e.g. which font face stood in for one the server lacks."""

    data: bytes
    warnings: list[str] = field(default_factory=list)


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed (or failed), so no PDF can be made; the message is Chinese and
    fit to show to the user."""
