import pytest

from lijian.documents import rendering
from lijian.documents.gbt9704 import PdfUnavailable

from .kind import register_test_kind


@pytest.fixture
def kind():
    return register_test_kind()


@pytest.fixture
def no_pdf(monkeypatch):
    """LibreOffice takes seconds per file: the tests of the workflow run without it (as on a server
    without LibreOffice), one test of the PDF step runs it."""

    def unavailable(docx):
        raise PdfUnavailable("测试中不生成 PDF。")

    monkeypatch.setattr(rendering, "render_pdf", unavailable)
