"""A result document made elsewhere (a ministry's judicial record, #19) issued as the dossier's e-result by
documents itself: signed with the issuing unit's certificate (or taken as it is when signed ahead by that
unit), stored, recorded once, filed in the applicant's e-data store and audited, as a rendered result is."""

from collections.abc import Iterator
from io import BytesIO

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.core.models import OrgUnit
from motcua.documents import services, signing
from motcua.documents.models import DataStoreItem, ElectronicResult, StoredFile
from motcua.dossiers import services as dossiers
from motcua.dossiers.states import Status
from tests.core.json_logs import JsonLines, captured_json_logs
from tests.dossiers.helpers import at, dossier_in
from tests.support.pdfs import pdf_bytes, pdf_text

AN = "040090001234"
ENTIRE_FILE = SignatureCoverageLevel.ENTIRE_FILE


@pytest.fixture(autouse=True)
def _own_pki(settings, tmp_path) -> None:
    # The keys made here (another unit's) stay out of the process's shared PKI (test_keys_are_private).
    settings.MOTCUA_PKI_DIR = tmp_path / "pki"


@pytest.fixture
def json_logs() -> Iterator[JsonLines]:
    with captured_json_logs() as lines:
        yield lines


def record() -> bytes:
    """The ministry's record as it arrives: a PDF of its own, unsigned (as the axis sandbox sends it)."""
    return pdf_bytes("Phieu ly lich tu phap so 123/2026")


def signed_by_other_system(pdf: bytes, unit: OrgUnit) -> bytes:
    """`pdf` signed in a field of its own, as a ministry's software signs its record."""
    signer, _credentials = signing.unit_signer(unit)
    metadata = signers.PdfSignatureMetadata(field_name="ChuKyBoTuPhap", md_algorithm="sha256")
    return signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf)), metadata, signer=signer).getvalue()


def signatures(pdf: bytes) -> list[tuple[str, str, bool, SignatureCoverageLevel | None]]:
    """Each embedded signature validated on its own by pyHanko: field, signer, valid and trusted, coverage."""
    context = ValidationContext(
        trust_roots=[signing._asn1_cert(signing.ensure_ca().certificate)],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    found = []
    for embedded in PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures:
        status = validate_pdf_signature(embedded, signer_validation_context=context)
        signer = status.signing_cert.subject.native["common_name"]
        good = status.intact and status.valid and status.trusted
        found.append((embedded.field_name, signer, good, status.coverage))
    return found


def read(stored: StoredFile) -> bytes:
    with stored.file.open("rb") as handle:
        return handle.read()


def test_the_record_is_signed_by_the_issuing_unit_recorded_filed_and_audited(
    once, django_capture_on_commit_callbacks, json_logs
):
    p = once.p
    dossier = dossier_in(p, Status.FINISHED)  # birth registration, settled by the commune

    with django_capture_on_commit_callbacks(execute=True):
        stored = services.issue_supplied_result(
            dossier=dossier, pdf=record(), acting_user=p.leader, number="123/2026"
        )

    pdf = read(stored)
    assert "Phieu ly lich tu phap so 123/2026" in pdf_text(pdf)  # the record itself, no generic notice
    checked = signing.verify_pdf(pdf)
    assert checked.valid and checked.signer == "Phường Thành Vinh"
    [(field, signer, good, coverage)] = signatures(pdf)
    assert (field, signer, good, coverage) == ("ChuKyDonVi", "Phường Thành Vinh", True, ENTIRE_FILE)
    reason = PdfFileReader(BytesIO(pdf)).embedded_signatures[0].sig_object["/Reason"]
    assert reason == f"Ký số kết quả 123/2026 của hồ sơ {dossier.code}"

    result = ElectronicResult.objects.get(dossier=dossier)
    assert result.stored_file == stored and result.certificate_serial == checked.certificate_serial
    assert result.signed_by_unit == p.commune and result.issued_by == p.leader
    [item] = DataStoreItem.objects.filter(owner_id_number=AN, source_dossier=dossier)
    assert item.stored_file == stored and item.source == DataStoreItem.Source.RESULT
    assert item.document_type == once.gks and item.issuer_unit == p.commune
    assert item.file_name == f"ket-qua-{dossier.code}.pdf"
    [issued] = json_logs.of("motcua.audit", "e_result_issued")
    assert issued["dossier_id"] == dossier.pk and issued["result_id"] == result.pk
    assert issued["user_id"] == p.leader.pk


def test_a_second_call_returns_the_result_already_issued(once):
    p = once.p
    dossier = dossier_in(p, Status.FINISHED)
    first = services.issue_supplied_result(dossier=dossier, pdf=record(), acting_user=p.leader)
    files = StoredFile.objects.count()

    again = services.issue_supplied_result(
        dossier=dossier, pdf=pdf_bytes("Mot ban khac"), acting_user=p.leader, number="999"
    )

    assert again == first and StoredFile.objects.count() == files  # the other PDF not even stored
    assert ElectronicResult.objects.filter(dossier=dossier).count() == 1
    assert DataStoreItem.objects.filter(source_dossier=dossier).count() == 1
    # a rendered e-result asked for afterwards is the same one
    assert services.issue_electronic_result(dossier=dossier, acting_user=p.leader) == first


def test_refused_before_the_result_and_to_whoever_may_not_issue_it(once):
    p = once.p
    processing = dossier_in(p, Status.PROCESSING)
    with pytest.raises(ValidationFailed) as refused:
        services.issue_supplied_result(dossier=processing, pdf=record(), acting_user=p.leader)
    assert refused.value.code == "no_result_yet"
    finished = dossier_in(p, Status.FINISHED)
    for outsider in (p.citizen, p.other_counter):
        with pytest.raises(PermissionDenied):
            services.issue_supplied_result(dossier=finished, pdf=record(), acting_user=outsider)
    assert (
        not ElectronicResult.objects.exists() and not DataStoreItem.objects.filter(source="result").exists()
    )


def test_a_record_signed_ahead_by_the_unit_is_issued_as_it_is(once):
    p = once.p
    dossier = dossier_in(p, Status.PROCESSING)

    ahead = services.sign_supplied_result(
        dossier=dossier, pdf=record(), acting_user=p.specialist, number="123/2026"
    )

    # signed and stored while the dossier is processed: nothing issued, nothing filed yet
    assert signing.verify_pdf(read(ahead.stored_file)).certificate_serial == ahead.certificate_serial
    assert not ElectronicResult.objects.exists()
    assert not DataStoreItem.objects.filter(source_dossier=dossier).exists()

    dossier = dossiers.complete_step(dossier=dossier, acting_user=p.specialist, now=at(1))
    dossier = dossiers.approve(dossier=dossier, acting_user=p.leader, now=at(2))
    dossier = dossiers.issue_result(dossier=dossier, acting_user=p.leader, now=at(3))
    issued = services.issue_supplied_result(
        dossier=dossier, pdf=read(ahead.stored_file), acting_user=p.leader, number="123/2026"
    )

    assert issued == ahead.stored_file  # the same bytes: not signed a second time
    assert len(signatures(read(issued))) == 1
    result = ElectronicResult.objects.get(dossier=dossier)
    assert result.certificate_serial == ahead.certificate_serial


def test_a_record_the_ministry_signed_keeps_its_signature_and_gets_the_units(once):
    p = once.p
    dossier = dossier_in(p, Status.FINISHED)
    ministry = signed_by_other_system(record(), p.justice)

    stored = services.issue_supplied_result(dossier=dossier, pdf=ministry, acting_user=p.leader)

    pdf = read(stored)
    assert pdf.startswith(ministry)  # the ministry's revision kept byte for byte: the unit's is appended
    assert [(field, signer, good) for field, signer, good, _coverage in signatures(pdf)] == [
        ("ChuKyBoTuPhap", "Sở Tư pháp", True),
        ("ChuKyDonVi", "Phường Thành Vinh", True),
    ]
    assert signatures(pdf)[1][3] == ENTIRE_FILE
    # both signatures hold on the verification page: the unit's only adds a signature after the ministry's
    assert signing.verify_pdf(pdf).verdict == signing.Verdict.VALID


def test_a_record_whose_unit_signature_is_another_units_or_unreadable_is_refused(once):
    p = once.p
    dossier = dossier_in(p, Status.FINISHED)
    other_unit, _credentials = signing.sign_pdf(record(), unit=p.justice, reason="x", location="y")
    files = StoredFile.objects.count()

    with pytest.raises(ValidationFailed) as refused:
        services.issue_supplied_result(dossier=dossier, pdf=other_unit, acting_user=p.leader)
    assert refused.value.code == "signed_elsewhere"
    with pytest.raises(ValidationFailed) as refused:
        services.issue_supplied_result(dossier=dossier, pdf=b"not a pdf", acting_user=p.leader)
    assert refused.value.code == "unreadable_result"

    assert StoredFile.objects.count() == files and not ElectronicResult.objects.exists()
