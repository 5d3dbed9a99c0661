"""The GB/T 9704-2012 document engine: every official document lijian makes is a ``Paper`` of plain
data rendered here to DOCX (python-docx), PDF (LibreOffice headless) and HTML (the web view)."""

from .fonts import font_fallbacks
from .paper import (
    Annex,
    Block,
    Figure,
    Heading,
    Letterhead,
    Paper,
    Paragraph,
    Run,
    Table,
    cn_date,
    document_number,
    figures_of,
    paper_from_dict,
    paper_to_dict,
)
from .pdf import pdf_pages, render_docx_pdf, render_pdf
from .rendered import PdfUnavailable, Rendered
from .web import render_html
from .word import render_docx

__all__ = [
    "Annex",
    "Block",
    "Figure",
    "Heading",
    "Letterhead",
    "Paper",
    "PdfUnavailable",
    "Paragraph",
    "Rendered",
    "Run",
    "Table",
    "cn_date",
    "document_number",
    "figures_of",
    "font_fallbacks",
    "paper_from_dict",
    "paper_to_dict",
    "pdf_pages",
    "render_docx",
    "render_docx_pdf",
    "render_html",
    "render_pdf",
]
