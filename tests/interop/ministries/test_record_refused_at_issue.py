"""A ministry's record documents refuses to issue (here: signed in the unit's field by another unit) does not
block the leader's act: the result is issued, the case says why the record is not the e-result, and the
generic notice is issued after commit instead (#19)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.documents import services as documents
from motcua.documents import signing
from motcua.documents.models import ElectronicResult
from motcua.dossiers import services
from motcua.dossiers.states import Status
from motcua.interop.models import MinistryCase
from tests.support.pdfs import pdf_bytes, pdf_text


@pytest.fixture(autouse=True)
def _own_pki(settings, tmp_path) -> None:
    settings.MOTCUA_PKI_DIR = tmp_path / "pki"


def test_the_result_is_issued_and_the_case_says_why_the_record_is_not_the_e_result(
    province, judicial_record, django_capture_on_commit_callbacks
):
    dossier = province.processing(judicial_record)
    elsewhere, _credentials = signing.sign_pdf(
        pdf_bytes("Phieu LLTP"), unit=province.commune, reason="x", location="y"
    )
    record = documents.store_upload(
        uploaded=SimpleUploadedFile("lltp.pdf", elsewhere), acting_user=province.justice_specialist
    )
    case = MinistryCase.objects.create(
        dossier=dossier,
        system="lltp",
        requested_by=province.justice_specialist,
        requested_at=timezone.now(),
        state=MinistryCase.State.RESULT,
        result_number="12345678",
        result_file=record,
    )
    dossier = services.complete_step(dossier=dossier, acting_user=province.justice_specialist)
    dossier = services.approve(dossier=dossier, acting_user=province.justice_leader)

    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.issue_result(dossier=dossier, acting_user=province.justice_leader)

    assert dossier.status == Status.FINISHED
    case.refresh_from_db()
    assert case.note.startswith("Phiếu không được phát hành làm kết quả điện tử: Tệp kết quả đã có chữ ký số")
    result = ElectronicResult.objects.get(dossier=dossier)
    assert result.stored_file != record and result.signed_by_unit == province.justice
    with result.stored_file.file.open("rb") as handle:
        assert dossier.code in pdf_text(handle.read())  # the generic notice
