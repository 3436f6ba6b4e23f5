"""Electronic results: the result document signed (PAdES) with the issuing agency's certificate, stored,
recorded as the dossier's `ElectronicResult` and saved to the applicant's data store (docs/domain.md
"Return"). Both kinds of result go through one path (`_issue`):

- `issue_electronic_result`: a generic result notice rendered here (procedure result, applicant, dossier
  code, issuing agency, date, QR code of the public verification page), after the act's commit;
- `issue_supplied_result`: a result document made elsewhere (a ministry's judicial record, #19). It may be
  signed ahead, when it arrives, by `sign_supplied_result` (the officer reads the signed record before the
  leader issues it): a PDF that already carries the issuing unit's valid signature is issued as it is, not
  signed twice. A PDF signed by someone else (the ministry) keeps that signature: the unit's is added in an
  incremental revision, as a second signature (rewriting the PDF would break the ministry's).
"""

import re
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from io import BytesIO
from urllib.parse import urlencode

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from reportlab.platypus import Flowable, Spacer

from motcua.core import audit
from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.core.models import OrgUnit, User
from motcua.core.roles import Role
from motcua.documents import datastore, signing, storage
from motcua.documents.models import DocumentType, ElectronicResult, ProcedureResultType, StoredFile
from motcua.documents.slips.content import DEFAULT_PUBLIC_URL, applicant_lines, procedure_text
from motcua.documents.slips.layout import (
    A5_PORTRAIT,
    content_width,
    field,
    heading,
    place_date,
    signatures,
    text,
    title_with_qr,
)
from motcua.documents.slips.layout import render as render_pdf
from motcua.dossiers.events import dossier_changed
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.selectors import visible_dossiers
from motcua.dossiers.states import Act, Status
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import enqueue, handles

ISSUE_ELECTRONIC_RESULT = "documents.issue_electronic_result"
RESULT_STATUSES = (Status.FINISHED, Status.RETURNED)
NATIONAL_CODE = re.compile(r"\s*\(KQ\.[^)]*\)")


def verification_url(dossier: Dossier | None = None) -> str:
    """The public verification page (what the result's QR code opens)."""
    base = getattr(settings, "MOTCUA_PUBLIC_URL", DEFAULT_PUBLIC_URL).rstrip("/")
    query = f"?{urlencode({'ma': dossier.code})}" if dossier is not None else ""
    return f"{base}/tai-lieu/xac-thuc/{query}"


def issuing_unit(dossier: Dossier) -> OrgUnit:
    """The unit of the dossier's last step (the one that approves), else the responsible or receiving unit."""
    last = dossier.steps.select_related("unit").order_by("-position").first()
    if last is not None:
        return last.unit
    return dossier.procedure.responsible_unit or dossier.receiving_unit


def result_type(dossier: Dossier) -> DocumentType:
    """The document type the procedure's result is filed under; a procedure without a mapped type gets its
    own (`KQ:<procedure code>`), so that every e-result is kept in the store."""
    link = ProcedureResultType.objects.filter(procedure=dossier.procedure).select_related("document_type")
    if (found := link.first()) is not None:
        return found.document_type
    procedure = dossier.procedure
    doc_type, _created = DocumentType.objects.get_or_create(
        code=f"KQ:{procedure.code}"[:30],
        defaults={"name": result_title(procedure.result_name) or procedure.name[:255]},
    )
    ProcedureResultType.objects.get_or_create(procedure=procedure, defaults={"document_type": doc_type})
    return doc_type


def result_title(result_name: str) -> str:
    """`Giấy khai sinh (KQ.G15.000031)` → `Giấy khai sinh`: the national result codes are not printed."""
    return NATIONAL_CODE.sub("", result_name).strip()[:255]


def result_file_name(dossier: Dossier) -> str:
    """The e-result's file name, from the dossier code (a download names it so, whoever first stored it)."""
    return f"ket-qua-{re.sub(r'[^A-Za-z0-9.-]+', '-', dossier.code)}.pdf"


@dataclass(frozen=True)
class Signature:
    """A PDF with the issuing unit's signature: its bytes, the certificate's serial, when it was signed."""

    data: bytes
    certificate_serial: str
    signed_at: datetime


@dataclass(frozen=True)
class SignedResult:
    """A supplied result document signed by the issuing unit and stored, not issued yet."""

    stored_file: StoredFile
    certificate_serial: str
    signed_at: datetime


def issue_electronic_result(*, dossier: Dossier, acting_user: User) -> StoredFile:
    """Render, sign and store the dossier's e-result and save it to the applicant's data store; once per
    dossier (a second call returns the stored file). The dossier must have its result (status 9 or 10)."""
    existing = ElectronicResult.objects.filter(dossier=dossier).select_related("stored_file").first()
    if existing is not None:
        return existing.stored_file
    _require_issuer(dossier, acting_user, "issue_electronic_result")
    _require_result(dossier)
    unit = issuing_unit(dossier)
    doc_type = result_type(dossier)
    signed_at = timezone.now()
    with translation.override("vi"):
        pdf = render_result(dossier, unit=unit, title=doc_type.name, issued_at=signed_at)
        reason = _("Ký số kết quả giải quyết hồ sơ %(code)s") % {"code": dossier.code}
    signed, credentials = signing.sign_pdf(pdf, unit=unit, reason=reason, location=unit.name)
    signature = Signature(signed, credentials.serial_hex, signed_at)
    return _issue(dossier, signature, unit=unit, doc_type=doc_type, acting_user=acting_user)


def sign_supplied_result(
    *, dossier: Dossier, pdf: bytes, acting_user: User, number: str = ""
) -> SignedResult:
    """Sign a result document made elsewhere (`number`: its own number, e.g. the judicial record's) with the
    issuing unit's certificate and store it, before the result is issued: nothing is recorded as the
    dossier's e-result nor filed yet (`issue_supplied_result` does it with these bytes, unsigned again)."""
    _require_issuer(dossier, acting_user, "sign_supplied_result")
    signature = _signed_by_unit(pdf, dossier=dossier, unit=issuing_unit(dossier), number=number)
    stored = _store(signature.data, result_file_name(dossier), acting_user)
    transaction.on_commit(
        partial(
            audit.record,
            "e_result_signed",
            user=acting_user,
            dossier_id=dossier.pk,
            stored_file_id=stored.pk,
        )
    )
    return SignedResult(stored, signature.certificate_serial, signature.signed_at)


def issue_supplied_result(*, dossier: Dossier, pdf: bytes, acting_user: User, number: str = "") -> StoredFile:
    """Issue a result document made elsewhere (a ministry's PDF) as the dossier's e-result: signed with the
    issuing unit's certificate unless it already carries that unit's valid signature (`sign_supplied_result`),
    stored, recorded and saved to the applicant's data store as `issue_electronic_result` does. Once per
    dossier: a second call returns the e-result already issued. The dossier must have its result (status 9
    or 10). Signing takes about 0.1 s: a caller holding the dossier's lock passes a PDF signed ahead."""
    _require_issuer(dossier, acting_user, "issue_supplied_result")
    existing = ElectronicResult.objects.filter(dossier=dossier).select_related("stored_file").first()
    if existing is not None:
        return existing.stored_file
    _require_result(dossier)
    unit = issuing_unit(dossier)
    signature = _signed_by_unit(pdf, dossier=dossier, unit=unit, number=number)
    return _issue(dossier, signature, unit=unit, doc_type=result_type(dossier), acting_user=acting_user)


def _require_issuer(dossier: Dossier, acting_user: User, what: str) -> None:
    if acting_user.role == Role.CITIZEN or not visible_dossiers(acting_user).filter(pk=dossier.pk).exists():
        audit.denied(acting_user, what, dossier_id=dossier.pk)
        raise PermissionDenied(_("Bạn không có quyền phát hành kết quả điện tử của hồ sơ này."))


def _require_result(dossier: Dossier) -> None:
    if dossier.status not in RESULT_STATUSES:
        raise ValidationFailed(
            gettext_lazy("Hồ sơ chưa có kết quả giải quyết; chưa thể phát hành kết quả điện tử."),
            code="no_result_yet",
        )


def _issue(
    dossier: Dossier, signature: Signature, *, unit: OrgUnit, doc_type: DocumentType, acting_user: User
) -> StoredFile:
    """The one path of every e-result: the signed PDF stored under the result's file name, recorded once per
    dossier, filed in the applicant's data store, audited after commit."""
    with transaction.atomic():
        stored = _store(signature.data, result_file_name(dossier), acting_user)
        result, created = ElectronicResult.objects.get_or_create(
            dossier=dossier,
            defaults={
                "stored_file": stored,
                "signed_by_unit": unit,
                "signed_at": signature.signed_at,
                "certificate_serial": signature.certificate_serial,
                "issued_by": acting_user,
            },
        )
        if created:
            datastore.save_result(
                dossier=dossier,
                stored_file=stored,
                doc_type=doc_type,
                unit=unit,
                signed_at=signature.signed_at,
            )
            transaction.on_commit(
                partial(
                    audit.e_result_issued, dossier_id=dossier.pk, result_id=result.pk, acting_user=acting_user
                )
            )
    return result.stored_file


def _signed_by_unit(pdf: bytes, *, dossier: Dossier, unit: OrgUnit, number: str) -> Signature:
    """`pdf` with the unit's signature: as it is when it carries one already, else signed now."""
    own = _own_signature(pdf, unit)
    if own is not None:
        return own
    signed_at = timezone.now()
    with translation.override("vi"):
        if number:
            reason = _("Ký số kết quả %(number)s của hồ sơ %(code)s") % {
                "number": number,
                "code": dossier.code,
            }
        else:
            reason = _("Ký số kết quả giải quyết hồ sơ %(code)s") % {"code": dossier.code}
    signed, credentials = signing.sign_pdf(pdf, unit=unit, reason=reason, location=unit.name)
    return Signature(signed, credentials.serial_hex, signed_at)


def _own_signature(pdf: bytes, unit: OrgUnit) -> Signature | None:
    """The unit's signature already on `pdf`, or None when its signature field is empty. The field signed by
    anyone else, or followed by changes, is refused (it cannot be signed again; nothing is stored)."""
    try:
        if not pdf.startswith(b"%PDF-"):
            raise ValueError("not a PDF")
        embedded = PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures
    except Exception as exc:  # hostile or damaged input: pyHanko raises many kinds of error
        raise ValidationFailed(
            gettext_lazy("Tệp kết quả không phải tệp PDF đọc được."), code="unreadable_result"
        ) from exc
    ours = [found for found in embedded if found.field_name == signing.SIGNATURE_FIELD]
    if not ours:
        return None
    ca = asn1_x509.Certificate.load(signing.ensure_ca().certificate.public_bytes(Encoding.DER))
    context = ValidationContext(trust_roots=[ca], allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = signing.outside_event_loop(
            partial(validate_pdf_signature, ours[0], signer_validation_context=context)
        )
        certificate = status.signing_cert
        good = (
            status.intact
            and status.valid
            and status.trusted
            and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
            and certificate.subject.native.get("organizational_unit_name") == unit.code
        )
    except Exception:
        good = False
    if not good:
        raise ValidationFailed(
            gettext_lazy(
                "Tệp kết quả đã có chữ ký số của đơn vị khác hoặc đã bị sửa sau khi ký; không ký lại được."
            ),
            code="signed_elsewhere",
        )
    return Signature(pdf, format(certificate.serial_number, "x"), status.signer_reported_dt or timezone.now())


@receiver(dossier_changed, dispatch_uid="documents.enqueue_electronic_result")
def enqueue_electronic_result(*, dossier: Dossier, act: Act, event: DossierEvent, **kwargs: object) -> None:
    """The result is ready (ISSUE_RESULT): its signed electronic result is rendered after commit, so that a
    signing failure does not block the act."""
    if act == Act.ISSUE_RESULT:
        enqueue(ISSUE_ELECTRONIC_RESULT, {"dossier_id": dossier.pk, "acting_user_id": event.actor_id})


@handles(ISSUE_ELECTRONIC_RESULT)
def issue_after_result(message: OutboxMessage) -> None:
    """Outbox handler: {"dossier_id", "acting_user_id"}, so the PDF is signed after the act commits,
    outside the dossier's lock (retried if signing fails)."""
    dossier = Dossier.objects.select_related("procedure", "receiving_unit").get(
        pk=message.payload["dossier_id"]
    )
    user = User.objects.get(pk=message.payload["acting_user_id"])
    issue_electronic_result(dossier=dossier, acting_user=user)


def _store(data: bytes, name: str, acting_user: User) -> StoredFile:
    return storage.store_upload(
        uploaded=SimpleUploadedFile(name, data, content_type="application/pdf"), acting_user=acting_user
    )


def render_result(dossier: Dossier, *, unit: OrgUnit, title: str, issued_at: datetime) -> bytes:
    """The result notice as PDF (A5 portrait), before signing."""
    page = A5_PORTRAIT
    width = content_width(page)
    approval = dossier.events.filter(act=Act.APPROVE).select_related("actor").order_by("-at", "-pk").first()
    signer = approval.actor.display_name if approval and approval.actor else ""
    story: list[Flowable] = [
        *heading(unit=unit, form_no="", dated=place_date(unit, issued_at), width=width),
        title_with_qr(
            title=title.upper(),
            lines=[field(_("Mã hồ sơ"), dossier.code)],
            url=verification_url(dossier),
            width=width,
        ),
        text(_("%(unit)s cấp cho:") % {"unit": unit.name}),
        *applicant_lines(dossier, with_id=True),
        field(_("Thủ tục hành chính"), procedure_text(dossier.procedure)),
        field(_("Kết quả giải quyết"), title),
        field(_("Đơn vị cấp"), unit.name),
        Spacer(1, 3),
        text(
            _(
                "Văn bản điện tử được ký số bởi %(unit)s. Quét mã QR hoặc truy cập %(url)s để xác thực; "
                "bản đã bị chỉnh sửa sẽ không còn chữ ký hợp lệ."
            )
            % {"unit": unit.name, "url": verification_url()},
            "small",
        ),
        Spacer(1, 4),
        signatures((_("Thủ trưởng đơn vị"), signer), width=width),
    ]
    return render_pdf(
        story,
        pagesize=page,
        title=title,
        subject=dossier.code,
        author=unit.name,
        printed_at=issued_at,
    )
