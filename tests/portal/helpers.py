"""Shared bits of the portal tests: a real PDF, a signed-in citizen, an online dossier in any state."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.support import pdfs


def pdf_bytes(pages: int = 1) -> bytes:
    """The same bytes for the same number of pages."""
    return pdfs.pdf_bytes(*(f"Trang {number}" for number in range(1, pages + 1)), same_bytes=True)


def pdf_upload(name: str = "to-khai.pdf", pages: int = 1) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


def exe_upload(name: str = "to-khai.pdf") -> SimpleUploadedFile:
    """A Windows executable renamed to .pdf, with a lying content type."""
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
