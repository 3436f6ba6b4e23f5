"""A consultation's files (xin ý kiến, `dossiers.consultations`): the question asked with its attachments, and
the answer given with its attachments and as a PDF signed with the answering unit's certificate (the signing
of the electronic results, `signing.sign_pdf`). Each is one transaction: the act, its files and the signed
answer are all saved, or nothing is (a file refused by `storage.store_upload` refuses the act)."""

import re
from collections.abc import Sequence
from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.platypus import Flowable, Spacer

from motcua.core.errors import FieldError, ValidationFailed
from motcua.core.models import OrgUnit, User
from motcua.documents import signing, storage
from motcua.documents.models import ConsultationFile, StoredFile
from motcua.documents.slips.content import procedure_text
from motcua.documents.slips.layout import (
    A5_PORTRAIT,
    content_width,
    field,
    heading,
    place_date,
    signatures,
    text,
    time_dmy,
)
from motcua.documents.slips.layout import render as render_pdf
from motcua.dossiers import consultations
from motcua.dossiers.models import Consultation, Dossier
from motcua.dossiers.selectors import visible_dossiers

MAX_FILES = 10
Role = ConsultationFile.Role


def ask(
    *,
    dossier: Dossier,
    acting_user: User,
    consulted_units: Sequence[OrgUnit],
    content: str,
    working_days: int,
    files: Sequence["UploadedFile[bytes]"] = (),
    now: datetime | None = None,
) -> tuple[Dossier, list[Consultation]]:
    """CONSULT with files: each consulted unit's question carries them."""
    _check_count(files)
    with transaction.atomic():
        stored = [storage.store_upload(uploaded=f, acting_user=acting_user) for f in files]
        dossier, asked = consultations.ask(
            dossier=dossier,
            acting_user=acting_user,
            consulted_units=consulted_units,
            content=content,
            working_days=working_days,
            now=now,
        )
        for question in asked:
            _link(question, stored, Role.QUESTION, acting_user, question.asked_at)
    return dossier, asked


def answer(
    *,
    dossier: Dossier,
    acting_user: User,
    consultation_id: int,
    answer: str,
    files: Sequence["UploadedFile[bytes]"] = (),
    now: datetime | None = None,
) -> Dossier:
    """ANSWER_CONSULTATION with files, and the answer signed by the consulted unit as a PDF."""
    _check_count(files)
    with transaction.atomic():
        stored = [storage.store_upload(uploaded=f, acting_user=acting_user) for f in files]
        dossier = consultations.answer_consultation(
            dossier=dossier, acting_user=acting_user, consultation_id=consultation_id, answer=answer, now=now
        )
        question = Consultation.objects.select_related(
            "dossier__procedure", "asking_unit", "consulted_unit", "answered_by"
        ).get(pk=consultation_id)
        at = question.answered_at or timezone.now()
        _link(question, stored, Role.ANSWER, acting_user, at)
        _sign_answer(question, acting_user, at)
    return dossier


def files_of(*, dossier: Dossier, acting_user: User) -> list[ConsultationFile]:
    """The files of the dossier's consultations, for whoever sees the dossier."""
    if not visible_dossiers(acting_user).filter(pk=dossier.pk).exists():
        return []
    return list(ConsultationFile.objects.filter(consultation__dossier=dossier).select_related("stored_file"))


def file_of(*, dossier: Dossier, acting_user: User, file_id: int) -> ConsultationFile | None:
    return next((f for f in files_of(dossier=dossier, acting_user=acting_user) if f.pk == file_id), None)


def _check_count(files: Sequence[object]) -> None:
    if len(files) > MAX_FILES:
        raise ValidationFailed(
            gettext_lazy("Đính kèm tối đa 10 tệp."), fields={"files": FieldError("too_many")}
        )


def _link(
    question: Consultation, stored: list[StoredFile], role: str, user: User, at: datetime, serial: str = ""
) -> None:
    ConsultationFile.objects.bulk_create(
        ConsultationFile(
            consultation=question,
            stored_file=s,
            role=role,
            name=s.upload_name or s.original_name,
            added_by=user,
            added_at=at,
            certificate_serial=serial,
        )
        for s in stored
    )


def answer_file_name(question: Consultation) -> str:
    code = re.sub(r"[^A-Za-z0-9.-]+", "-", question.dossier.code)
    return f"tra-loi-xin-y-kien-{code}-{question.pk}.pdf"


def _sign_answer(question: Consultation, user: User, at: datetime) -> None:
    unit = question.consulted_unit
    with translation.override("vi"):
        pdf = render_answer(question, issued_at=at)
        signed, credentials = signing.sign_pdf(
            pdf,
            unit=unit,
            reason=_("Ký số văn bản trả lời xin ý kiến về hồ sơ %(code)s") % {"code": question.dossier.code},
            location=unit.name,
        )
    name = answer_file_name(question)
    stored = storage.store_upload(
        uploaded=SimpleUploadedFile(name, signed, content_type="application/pdf"), acting_user=user
    )
    _link(question, [stored], Role.SIGNED_ANSWER, user, at, credentials.serial_hex)


def render_answer(question: Consultation, *, issued_at: datetime) -> bytes:
    """The answer as a letter of the consulted unit to the asking one (A5 portrait), before signing."""
    page, unit, dossier = A5_PORTRAIT, question.consulted_unit, question.dossier
    width = content_width(page)
    title = _("VĂN BẢN TRẢ LỜI XIN Ý KIẾN")
    story: list[Flowable] = [
        *heading(unit=unit, form_no="", dated=place_date(unit, issued_at), width=width),
        text(title, "title"),
        field(_("Kính gửi"), question.asking_unit.name),
        field(_("Mã hồ sơ"), dossier.code),
        field(_("Thủ tục hành chính"), procedure_text(dossier.procedure)),
        field(_("Xin ý kiến lúc"), time_dmy(question.asked_at)),
        field(_("Hạn trả lời"), time_dmy(question.due_at)),
        Spacer(1, 3),
        text(_("Nội dung xin ý kiến:")),
        text(question.content),
        Spacer(1, 3),
        text(_("Ý kiến của %(unit)s:") % {"unit": unit.name}),
        text(question.answer),
        Spacer(1, 4),
        signatures(
            (_("Người trả lời"), question.answered_by.display_name if question.answered_by else ""),
            width=width,
        ),
    ]
    return render_pdf(
        story, pagesize=page, title=str(title), subject=dossier.code, author=unit.name, printed_at=issued_at
    )
