"""Reading generated PDFs back in tests."""

import unicodedata
from io import BytesIO

from pypdf import PdfReader


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
