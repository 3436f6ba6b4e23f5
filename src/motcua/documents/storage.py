"""File storage: checking an upload, sniffing its type, the size and pixel limits, writing the blob once by
SHA-256 and serving it. The acts on documents (attaching, the data store) are in `services`, which re-exports
the functions other apps use.

Files are stored once by SHA-256 under a path derived from the content (`files/ab/cd/<sha256>.<ext>`), in
Django's `default_storage` (MEDIA_ROOT locally; an S3 bucket via django-storages in production). The type is
sniffed from the bytes, never taken from the client's name or header.

Orphans. Nothing is written before the bytes pass every check, and a failure while recording the row deletes
the file just written. One window remains: if the *caller's* transaction rolls back after `store_upload`
returned, the row disappears and the file stays (Django has no rollback hook). Because the path is the
content's hash, the next upload of the same bytes adopts that file instead of writing it again; anything else
left behind is a file under `files/` with no `StoredFile` row, which a periodic sweep can remove.
"""

import hashlib
import os
from io import BytesIO
from typing import NoReturn

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import FileResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader

from motcua.core.errors import FieldError, ValidationFailed
from motcua.core.i18n import interpolate
from motcua.core.models import User
from motcua.documents.models import ElectronicResult, StoredFile, stored_file_path

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# An A4 page scanned at 600 dpi is 35 megapixels, a phone photo 12 to 50.
DEFAULT_MAX_IMAGE_PIXELS = 50_000_000

# Stored files are data, never a page of this site: no script, no plugin, no request, no form.
DOWNLOAD_CSP = "sandbox; default-src 'none'; form-action 'none'; frame-ancestors 'none'"

# Magic bytes of the accepted types. Anything else (office files, archives, executables) is refused.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def file_response(stored: StoredFile, *, as_attachment: bool, filename: str = "") -> FileResponse:
    """A stored file streamed to someone the caller has already checked may see it, under `filename` (the
    attachment's own name, `ComponentFile.display_name`; never the blob's first uploader's name) or, when
    none is given, the content's hash.

    Only an e-result this system signed may open in the browser (`as_attachment=False`). Anything uploaded
    or scanned is downloaded: a PDF may carry JavaScript (/OpenAction, /AA, /JS) that the browser's viewer
    would run on this site's origin. Downloads are also sandboxed (CSP) and never sniffed as another type.
    """
    inline = not as_attachment and ElectronicResult.objects.filter(stored_file=stored).exists()
    response = FileResponse(
        stored.file.open("rb"),
        content_type=stored.content_type,
        as_attachment=not inline,
        filename=filename or (stored.file.name or "").rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    if not inline:  # a sandbox also stops the browser's PDF viewer, so not on the signed results shown
        response["Content-Security-Policy"] = DOWNLOAD_CSP
    return response


def max_upload_bytes() -> int:
    return int(getattr(settings, "MOTCUA_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def max_image_pixels() -> int:
    return int(getattr(settings, "MOTCUA_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS))


def store_upload(*, uploaded: "UploadedFile[bytes]", acting_user: User | None) -> StoredFile:
    """Check and store an uploaded PDF, JPEG or PNG; the same bytes stored twice return the same row, with
    `upload_name` set to *this* upload's name (what `services.attach_files` gives the attachment)."""
    stored = _store_upload(uploaded, acting_user)
    stored.upload_name = upload_name(uploaded)
    return stored


def upload_name(uploaded: "UploadedFile[bytes]") -> str:
    """The client's file name without any folder, cut to the column's length."""
    return os.path.basename((uploaded.name or "").replace("\\", "/"))[:255]


def _store_upload(uploaded: "UploadedFile[bytes]", acting_user: User | None) -> StoredFile:
    data = _read_within_limit(uploaded)
    content_type = sniff(data)
    if content_type is None:
        _refuse(_("Chỉ nhận tệp PDF, JPEG hoặc PNG."), "unsupported_type")
    page_count = _page_count(data, content_type)
    digest = hashlib.sha256(data).hexdigest()
    row = StoredFile(
        sha256=digest,
        content_type=content_type,
        size=len(data),
        page_count=page_count,
        original_name=upload_name(uploaded),
        created_by=acting_user,
    )
    with transaction.atomic():
        existing = StoredFile.objects.filter(sha256=digest).first()
        if existing is not None:
            return existing
        path = stored_file_path(row, "")
        written = _write(path, data)
        row.file.name = written or path
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            # Someone stored the same bytes meanwhile: keep theirs, drop our copy unless it is theirs too.
            existing = StoredFile.objects.get(sha256=digest)
            if written and written != existing.file.name:
                default_storage.delete(written)
            return existing
        except BaseException:
            if written:
                default_storage.delete(written)
            raise
    return row


def sniff(data: bytes) -> str | None:
    """The content type the bytes are, by their magic number; None for anything not accepted."""
    for magic, content_type in SIGNATURES:
        if data.startswith(magic):
            return content_type
    return None


def _read_within_limit(uploaded: "UploadedFile[bytes]") -> bytes:
    limit = max_upload_bytes()
    if uploaded.size is not None and uploaded.size > limit:
        _too_large(limit)
    buffer = BytesIO()
    for chunk in uploaded.chunks():
        buffer.write(chunk)
        if buffer.tell() > limit:  # the declared size may lie
            _too_large(limit)
    data = buffer.getvalue()
    if not data:
        _refuse(_("Tệp rỗng."), "empty_file")
    return data


def _page_count(data: bytes, content_type: str) -> int:
    if content_type != "application/pdf":
        _check_image(data)
        return 1
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted:
            _refuse(_("Tệp PDF có mật khẩu; hãy gửi bản không đặt mật khẩu."), "encrypted_pdf")
        pages = len(reader.pages)
    except ValidationFailed:
        raise
    except Exception:  # pypdf raises many kinds of error on hostile or damaged input
        _refuse(_("tệp PDF bị hỏng"), "corrupt_pdf")
    if pages < 1:
        _refuse(_("tệp PDF bị hỏng"), "corrupt_pdf")
    return pages


def _check_image(data: bytes) -> None:
    """A readable JPEG or PNG of at most `max_image_pixels()`; only the header is decoded to know its size
    (a few kilobytes of PNG can claim gigapixels and take gigabytes once decoded: a decompression bomb)."""
    limit = max_image_pixels()
    try:
        with Image.open(BytesIO(data)) as image:
            width, height = image.size
            if width * height > limit:
                _image_too_large(limit)
            image.verify()
    except Image.DecompressionBombError:  # beyond Pillow's own limit, refused before its size is known
        _image_too_large(limit)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        _refuse(_("tệp ảnh bị hỏng"), "corrupt_image")


def _image_too_large(limit: int) -> NoReturn:
    _refuse(
        interpolate(
            _(
                "Ảnh có kích thước quá lớn (tối đa %(megapixels)s megapixel); "
                "hãy quét hoặc chụp lại ở độ phân giải thấp hơn (300 dpi là đủ)."
            ),
            {"megapixels": f"{limit / 1_000_000:g}"},
        ),
        "image_too_large",
    )


def _write(path: str, data: bytes) -> str | None:
    """Write the bytes at `path`, or adopt a file already there with the same size (a content-addressed
    path: left by a rolled-back upload of the same bytes). Returns the name written, None when adopted."""
    if default_storage.exists(path) and default_storage.size(path) == len(data):
        return None
    return default_storage.save(path, ContentFile(data))


def _too_large(limit: int) -> NoReturn:
    _refuse(
        interpolate(_("Tệp vượt quá dung lượng cho phép (%(mb)s MB)."), {"mb": f"{limit / 1024 / 1024:g}"}),
        "file_too_large",
    )


def _refuse(message: str | Promise, code: str) -> NoReturn:
    raise ValidationFailed(message, code=code, fields={"file": FieldError(code)})
