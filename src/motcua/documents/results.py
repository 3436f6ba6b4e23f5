"""Electronic results: the result document rendered to PDF, signed (PAdES) with the issuing agency's
certificate, stored, and saved to the applicant's data store (docs/domain.md "Return").

The PDF is a generic result notice (procedure result, applicant, dossier code, issuing agency, date, QR code
of the public verification page). A procedure whose result has a legal template of its own (a birth
certificate, a judicial record) renders it with the same signing path once that template is written.
"""

import re
from datetime import datetime
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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


def issue_electronic_result(*, dossier: Dossier, acting_user: User) -> StoredFile:
    """Render, sign and store the dossier's e-result and save it to the applicant's data store; once per
    dossier (a second call returns the stored file). The dossier must have its result (status 9 or 10)."""
    existing = ElectronicResult.objects.filter(dossier=dossier).select_related("stored_file").first()
    if existing is not None:
        return existing.stored_file
    if acting_user.role == Role.CITIZEN or not visible_dossiers(acting_user).filter(pk=dossier.pk).exists():
        audit.denied(acting_user, "issue_electronic_result", dossier_id=dossier.pk)
        raise PermissionDenied(_("Bạn không có quyền phát hành kết quả điện tử của hồ sơ này."))
    if dossier.status not in RESULT_STATUSES:
        raise ValidationFailed(
            gettext_lazy("Hồ sơ chưa có kết quả giải quyết; chưa thể phát hành kết quả điện tử."),
            code="no_result_yet",
        )
    unit = issuing_unit(dossier)
    doc_type = result_type(dossier)
    signed_at = timezone.now()
    with translation.override("vi"):
        pdf = render_result(dossier, unit=unit, title=doc_type.name, issued_at=signed_at)
        signed, credentials = signing.sign_pdf(
            pdf,
            unit=unit,
            reason=_("Ký số kết quả giải quyết hồ sơ %(code)s") % {"code": dossier.code},
            location=unit.name,
        )
    name = result_file_name(dossier)
    with transaction.atomic():
        stored = _store(signed, name, acting_user)
        result, created = ElectronicResult.objects.get_or_create(
            dossier=dossier,
            defaults={
                "stored_file": stored,
                "signed_by_unit": unit,
                "signed_at": signed_at,
                "certificate_serial": credentials.serial_hex,
                "issued_by": acting_user,
            },
        )
        if created:
            datastore.save_result(
                dossier=dossier, stored_file=stored, doc_type=doc_type, unit=unit, signed_at=signed_at
            )
            transaction.on_commit(
                partial(
                    audit.e_result_issued, dossier_id=dossier.pk, result_id=result.pk, acting_user=acting_user
                )
            )
    return result.stored_file


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
