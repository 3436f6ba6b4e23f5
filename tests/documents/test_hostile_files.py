"""Hostile files and names: decompression-bomb images are refused and nothing is stored; a PDF with many
signatures is refused by the public verification instead of holding a worker; uploaded PDFs (which may
carry JavaScript) are downloaded, never shown inline; names with markup print as written on every PDF."""

import struct
import time
import zlib
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from motcua.core.errors import ValidationFailed
from motcua.core.models import OrgUnit
from motcua.documents import services, signing, slips
from motcua.documents.models import ComponentFile, StoredFile
from motcua.documents.selectors import available_slips
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Status
from tests.dossiers.helpers import dossier_in
from tests.factories import local
from tests.support.pdfs import pdf_bytes, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_PKI_DIR = tmp_path / "pki"
    return tmp_path / "media"


def stored_paths(root) -> list[str]:
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- decompression bombs -------------------------------------------------------------------------------


def png_bomb(width: int, height: int) -> bytes:
    """A valid 1-bit greyscale PNG of `width` x `height` zero pixels: a few kilobytes on disk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the packed bits
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    "size",
    [
        (20_000, 20_000),  # 400 megapixels: Pillow's DecompressionBombError, a 500 before
        (10_000, 10_000),  # 100 megapixels: only a warning from Pillow, and it was stored
        (8_000, 7_000),  # 56 megapixels
    ],
)
def test_an_image_with_too_many_pixels_is_refused_and_nothing_is_stored(province, media, size):
    bomb = png_bomb(*size)
    assert len(bomb) < 200_000
    with pytest.raises(ValidationFailed) as refused:
        services.store_upload(
            uploaded=SimpleUploadedFile("anh.png", bomb, content_type="image/png"),
            acting_user=province.citizen,
        )
    assert refused.value.code == "image_too_large"
    assert "file" in refused.value.fields
    assert str(refused.value.message).startswith("Ảnh có kích thước quá lớn (tối đa 50 megapixel)")
    assert not StoredFile.objects.exists() and stored_paths(media) == []


def test_an_image_within_the_limit_is_stored(province, settings):
    settings.MOTCUA_MAX_IMAGE_PIXELS = 2_000_000
    ok = services.store_upload(uploaded=SimpleUploadedFile("a.png", png_bomb(1_000, 2_000)), acting_user=None)
    assert ok.content_type == "image/png"
    with pytest.raises(ValidationFailed):
        services.store_upload(uploaded=SimpleUploadedFile("b.png", png_bomb(1_001, 2_000)), acting_user=None)


# --- verification of a PDF with many signatures -------------------------------------------------------


def signed_many_times(unit: OrgUnit, count: int) -> bytes:
    signer, _credentials = signing.unit_signer(unit)
    pdf = pdf_bytes("Ket qua")
    for number in range(count):
        metadata = signers.PdfSignatureMetadata(field_name=f"ChuKy{number}", md_algorithm="sha256")
        pdf = signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf)), metadata, signer=signer).getvalue()
    return pdf


def test_a_pdf_with_too_many_signatures_is_refused_quickly(province):
    pdf = signed_many_times(province.commune, signing.MAX_SIGNATURES + 1)
    started = time.monotonic()
    checked = signing.verify_pdf(pdf)
    assert checked.verdict == signing.Verdict.TOO_MANY_SIGNATURES and not checked.valid
    assert time.monotonic() - started < 1.0  # no signature was validated
    upload = SimpleUploadedFile("ket-qua.pdf", pdf, content_type="application/pdf")
    page = Client().post("/tai-lieu/xac-thuc/", {"tep": upload})
    assert page.status_code == 400
    assert "Tệp có quá nhiều chữ ký số (nhiều hơn 10)" in page.content.decode()
    upload.seek(0)
    answer = Client().post("/tai-lieu/xac-thuc.json", {"tep": upload}, HTTP_ACCEPT_LANGUAGE="vi")
    assert answer.status_code == 400
    assert answer.json()["verdict"] == "too_many_signatures" and answer.json()["valid"] is False


def test_a_pdf_signed_twice_is_still_verified(province):
    checked = signing.verify_pdf(signed_many_times(province.commune, 2))
    assert checked.verdict in (signing.Verdict.VALID, signing.Verdict.TAMPERED)
    assert checked.signer == "Phường Thành Vinh"


# --- downloads -----------------------------------------------------------------------------------------


def pdf_with_javascript() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    script = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1);")}
    )
    writer._root_object[NameObject("/OpenAction")] = script
    writer._root_object[NameObject("/AA")] = DictionaryObject({NameObject("/WC"): script})
    buffer = BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    assert b"/OpenAction" in data and b"/JavaScript" in data and b"/JS" in data
    return data


def attached(province, dossier: Dossier, stored: StoredFile, kind=ComponentFile.Kind.SCAN) -> ComponentFile:
    component = dossier.components.first()
    return services.attach_files(
        component=component, files=[stored], acting_user=province.counter, kind=kind
    )[0]


def test_an_uploaded_pdf_is_downloaded_sandboxed_never_shown_inline(province):
    dossier = dossier_in(province, Status.ACCEPTED)
    stored = services.store_upload(
        uploaded=SimpleUploadedFile("to-khai.pdf", pdf_with_javascript()), acting_user=province.counter
    )
    link = attached(province, dossier, stored)
    officer = Client()
    officer.force_login(province.counter)
    response = officer.get(f"/can-bo/ho-so/{dossier.code}/tep/{link.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(response.streaming_content) == stored.file.open("rb").read()


def test_images_are_downloaded_too(province):
    dossier = dossier_in(province, Status.ACCEPTED)
    stored = services.store_upload(
        uploaded=SimpleUploadedFile("cccd.png", png_bomb(40, 30)), acting_user=None
    )
    officer = Client()
    officer.force_login(province.counter)
    response = officer.get(f"/can-bo/ho-so/{dossier.code}/tep/{attached(province, dossier, stored).pk}/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_our_own_signed_result_still_opens_in_the_browser(once):
    p = once.p
    dossier = dossier_in(p, Status.RETURNED)
    stored = services.issue_electronic_result(dossier=dossier, acting_user=p.leader)
    link = attached(p, dossier, stored, kind=ComponentFile.Kind.RESULT)
    officer = Client()
    officer.force_login(p.counter)
    response = officer.get(f"/can-bo/ho-so/{dossier.code}/tep/{link.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"


# --- markup in names -----------------------------------------------------------------------------------

MARKUP = 'Phường <b>Đông</b> & <font color="red">Tây</font> <para> &nbsp; </i> <br/> "q"'


def test_names_with_markup_print_as_written_on_every_slip_and_result(once):
    p = once.p
    for unit in OrgUnit.objects.all():
        unit.name = f"{unit.name} {MARKUP}"
        unit.save(update_fields=["name"])
    p.birth.name = f"Đăng ký khai sinh {MARKUP}"
    p.birth.save(update_fields=["name"])
    p.birth.steps.update(name=MARKUP)
    p.birth.components.update(name=f"Tờ khai {MARKUP}")
    for officer in (p.counter, p.specialist, p.leader):
        officer.first_name, officer.last_name = "<b>An</b>", "Lê & <i>"
        officer.save()
    printed = []
    for status in (Status.NOT_ACCEPTED, Status.SUPPLEMENT_REQUESTED, Status.STOPPED, Status.RETURNED):
        dossier = Dossier.objects.get(pk=dossier_in(p, status).pk)
        printed += [slips.SLIPS[kind](dossier) for kind in available_slips(dossier)]
    processing = dossier_in(p, Status.PROCESSING)
    rescheduled = dossiers.reschedule(
        dossier=processing,
        acting_user=p.specialist,
        new_appointment_at=local(2026, 3, 20, 16),
        reason=f"Chờ xác minh {MARKUP}",
        now=processing.appointment_at - timedelta(hours=2),  # at risk of being late: an apology is due
    )
    printed.append(slips.apology_slip(rescheduled))
    printed.append(slips.tracking_book(Dossier.objects.all(), unit=p.commune, period_label=MARKUP))
    returned = Dossier.objects.filter(status=Status.RETURNED).first()
    with services.issue_electronic_result(dossier=returned, acting_user=p.leader).file.open("rb") as handle:
        printed.append(handle.read())
    assert len(printed) >= 8
    for pdf in printed:
        assert MARKUP in pdf_text(pdf)
