"""A DOCX rendered to PDF by LibreOffice headless, with the fontconfig map of ``fonts.conf``; and a
paper rendered to both with its record block on an even last page (``render_docx_pdf``)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.utils.translation import gettext as _

from .fonts import FONTCONFIG_FILE, font_fallbacks
from .paper import Paper
from .rendered import PdfUnavailable, Rendered
from .word import has_record, render_docx

TIMEOUT = 120  # seconds; a cold LibreOffice start with a fresh profile takes a few


def soffice() -> str | None:
    """The LibreOffice executable on this server, or ``None``."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def render_pdf(docx: bytes) -> Rendered:
    """The PDF of the DOCX ``docx``, with the font fallbacks as warnings.

    Every call uses its own LibreOffice profile in its own temporary folder, so calls may run at the
    same time. Raises ``PdfUnavailable`` (with a Chinese message) when LibreOffice is not installed,
    does not finish within ``TIMEOUT`` seconds, or writes no PDF."""
    executable = soffice()
    if executable is None:
        raise PdfUnavailable(_("服务器没有安装 LibreOffice，无法生成 PDF，请下载 Word 文件。"))
    with tempfile.TemporaryDirectory(prefix="lijian-pdf-") as folder:
        work = Path(folder)
        source = work / "paper.docx"
        source.write_bytes(docx)
        env = dict(os.environ, FONTCONFIG_FILE=str(FONTCONFIG_FILE), HOME=str(work))
        command = [
            executable,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            # A session of its own, so a timeout ends soffice.bin too, not only the wrapper script.
            process = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
                cwd=work,
                start_new_session=True,
            )
        except OSError as error:
            raise PdfUnavailable(_("无法启动 LibreOffice，无法生成 PDF，请下载 Word 文件。")) from error
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired as error:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise PdfUnavailable(_("LibreOffice 生成 PDF 超时，请稍后重试或下载 Word 文件。")) from error
        target = work / "paper.pdf"
        if not target.exists():
            raise PdfUnavailable(_("LibreOffice 未能生成 PDF，请下载 Word 文件。"))
        return Rendered(target.read_bytes(), font_fallbacks())


def pdf_pages(pdf: bytes) -> int:
    """The number of pages of a PDF LibreOffice wrote (its page objects are not compressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


def render_docx_pdf(
    paper: Paper, docx: Rendered | None = None, *, convert: Callable[[bytes], Rendered] | None = None
) -> tuple[Rendered, Rendered]:
    """The DOCX and PDF of ``paper`` with its record block (版记) at the foot of an even last page
    (GB/T 9704 §7.4): when LibreOffice lays the pages out to an odd count, the block is moved on by
    a page break (two, when it stood alone on a page of its own), leaving a blank page before it if
    need be. ``docx`` is the paper's DOCX already made, if any; ``convert`` the DOCX to PDF step
    (default ``render_pdf``). Raises ``PdfUnavailable`` as ``render_pdf``."""
    convert = convert or render_pdf
    docx = docx or render_docx(paper)
    pdf = convert(docx.data)
    breaks = 0
    while has_record(paper) and pdf_pages(pdf.data) % 2 and breaks < 2:
        breaks += 1
        docx = render_docx(paper, record_breaks=breaks)
        pdf = convert(docx.data)
    return docx, pdf
