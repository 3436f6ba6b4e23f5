"""PDFs in tests: the one builder of small scanned-looking PDFs, and the readers of generated ones."""

import unicodedata
from io import BytesIO
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas


def pdf_bytes(*pages: str, same_bytes: bool = False) -> bytes:
    """A PDF with one page per text given (one page saying "To khai" without any). Two calls give different
    bytes (reportlab stamps the time) unless `same_bytes`."""
    buffer = BytesIO()
    canvas = Canvas(buffer, invariant=same_bytes)
    for text in pages or ("To khai",):
        canvas.drawString(72, 720, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def scanned_pdf(name: str = "to-khai.pdf", text: str = "To khai") -> SimpleUploadedFile:
    """An uploaded one-page PDF, as a form or a service receives it."""
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def pdf_file(path: Path, text: str = "To khai") -> Path:
    """A one-page PDF written to `path`, for a browser to upload."""
    path.write_bytes(pdf_bytes(text))
    return path


def pdf_text(pdf: bytes) -> str:
    """All pages' text, NFC-normalised, whitespace collapsed."""
    reader = PdfReader(BytesIO(pdf))
    raw = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", raw).split())


def image_count(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(BytesIO(pdf)).pages)


def page_size(pdf: bytes) -> tuple[float, float]:
    box = PdfReader(BytesIO(pdf)).pages[0].mediabox
    return float(box.width), float(box.height)
