"""Electronic results signed (PAdES) with the issuing agency's certificate; verification passes on the issued
PDF and fails on any modified copy."""

import stat
from io import BytesIO

import pytest
from django.urls import include, path
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from motcua import urls as project_urls
from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.documents import services, signing
from motcua.documents.models import ElectronicResult
from motcua.dossiers.states import Status
from tests.documents.test_issue_supplied_result import signed_by_other_system
from tests.dossiers.helpers import dossier_in
from tests.support.pdfs import image_count, pdf_text

from .once_only import scan

# The project's URLs with this app's (until `motcua.urls` includes them itself).
urlpatterns = [*project_urls.urlpatterns]
if not any(getattr(p, "namespace", None) == "documents" for p in urlpatterns):
    urlpatterns.insert(0, path("tai-lieu/", include("motcua.documents.urls")))


@pytest.fixture
def issued(once):
    p = once.p
    dossier = dossier_in(p, Status.RETURNED)
    stored = services.issue_electronic_result(dossier=dossier, acting_user=p.leader)
    with stored.file.open("rb") as handle:
        return dossier, stored, handle.read()


def modified(pdf: bytes, old: bytes, new: bytes) -> bytes:
    assert len(old) == len(new) and pdf.count(old) >= 1
    return pdf.replace(old, new, 1)


def test_the_result_is_rendered_signed_and_recorded(issued, once):
    dossier, stored, pdf = issued
    text = pdf_text(pdf)
    assert dossier.code in text and "Nguyễn Văn An" in text and "PHƯỜNG THÀNH VINH" in text
    assert "GIẤY KHAI SINH" in text and image_count(pdf) >= 1  # the title, the QR code
    result = ElectronicResult.objects.get(dossier=dossier)
    assert result.signed_by_unit == once.p.commune and result.issued_by == once.p.leader
    checked = signing.verify_pdf(pdf)
    assert checked.valid and checked.signer == "Phường Thành Vinh"
    assert checked.certificate_serial == result.certificate_serial
    again = services.issue_electronic_result(dossier=dossier, acting_user=once.p.leader)
    assert again == stored and ElectronicResult.objects.count() == 1


def test_keys_are_private(once, settings, tmp_path):
    # A PKI of its own: the process's shared one holds the keys of every unit other tests signed for.
    settings.MOTCUA_PKI_DIR = root = tmp_path / "pki"
    services.issue_electronic_result(dossier=dossier_in(once.p, Status.RETURNED), acting_user=once.p.leader)
    keys = [root / "ca.key", *(root / "units").glob("*.key")]
    assert len(keys) == 2
    for key in keys:
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(root.stat().st_mode) == 0o700


def test_a_byte_modified_copy_is_tampered(issued):
    dossier, _stored, pdf = issued
    code = dossier.code.encode()
    forged = modified(pdf, code, code[:-1] + (b"9" if code[-1:] != b"9" else b"8"))
    assert signing.verify_pdf(forged).verdict == signing.Verdict.TAMPERED


def rotated(pdf: bytes) -> bytes:
    """`pdf` with an incremental update after its signature that turns its first page."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page[generic.NameObject("/Rotate")] = generic.NumberObject(90)
    writer.update_container(page)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_update_appended_after_signing_is_tampered(issued):
    _dossier, _stored, pdf = issued
    assert signing.verify_pdf(rotated(pdf)).verdict == signing.Verdict.TAMPERED


def test_an_update_appended_after_signing_then_signed_again_is_still_tampered(once, issued):
    # A second signature over the whole file does not launder a content change made before it: only
    # signatures and form data may come between two signatures.
    _dossier, _stored, pdf = issued
    resigned = signed_by_other_system(rotated(pdf), once.p.justice)
    assert signing.verify_pdf(resigned).verdict == signing.Verdict.TAMPERED


def test_a_signature_from_another_ca_is_untrusted(once, settings, tmp_path):
    settings.MOTCUA_PKI_DIR = tmp_path / "someone-else"
    foreign, _credentials = signing.sign_pdf(
        scan().read(), unit=once.p.commune, reason="Giả mạo", location="Nơi khác"
    )
    settings.MOTCUA_PKI_DIR = tmp_path / "pki"
    assert signing.verify_pdf(foreign).verdict == signing.Verdict.UNTRUSTED


def test_unsigned_and_unreadable(once):
    assert signing.verify_pdf(scan().read()).verdict == signing.Verdict.UNSIGNED
    assert signing.verify_pdf(b"not a pdf").verdict == signing.Verdict.UNREADABLE


def test_who_and_when(once):
    p = once.p
    processing = dossier_in(p, Status.PROCESSING)
    with pytest.raises(ValidationFailed):
        services.issue_electronic_result(dossier=processing, acting_user=p.leader)
    finished = dossier_in(p, Status.FINISHED)
    for outsider in (p.citizen, p.other_counter):
        with pytest.raises(PermissionDenied):
            services.issue_electronic_result(dossier=finished, acting_user=outsider)


@pytest.mark.urls(__name__)
def test_verification_page_and_json(issued, client):
    dossier, _stored, pdf = issued
    page = client.get("/tai-lieu/xac-thuc/")
    assert page.status_code == 200
    valid = client.post("/tai-lieu/xac-thuc/", {"tep": BytesIO(pdf)})
    assert "Hợp lệ" in valid.content.decode() and "Phường Thành Vinh" in valid.content.decode()
    forged = modified(pdf, dossier.code.encode(), dossier.code.encode()[:-1] + b"X")
    tampered = client.post("/tai-lieu/xac-thuc/", {"tep": BytesIO(forged)})
    assert "đã bị chỉnh sửa" in tampered.content.decode()
    by_code = client.get("/tai-lieu/xac-thuc/", {"ma": dossier.code})
    assert by_code.status_code == 200 and "Hợp lệ" in by_code.content.decode()
    assert dossier.applicant_name not in by_code.content.decode()
    assert client.get("/tai-lieu/xac-thuc/", {"ma": "000.00.00.H40-000000-0000"}).status_code == 404

    answer = client.post("/tai-lieu/xac-thuc.json", {"file": BytesIO(pdf)}).json()
    assert answer["valid"] and answer["dossier_code"] == dossier.code
    assert answer["signed_by"] == "Phường Thành Vinh" and answer["signed_at"]
    answer = client.post("/tai-lieu/xac-thuc.json", {"file": BytesIO(forged)}).json()
    assert answer["tampered"] and not answer["valid"] and answer["dossier_code"] == ""
    assert client.post("/tai-lieu/xac-thuc.json", {"ma": dossier.code}).json()["valid"]
    assert client.post("/tai-lieu/xac-thuc.json", {}).status_code == 400
