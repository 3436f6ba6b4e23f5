"""Public verification of electronic results: by the PDF itself, or by the dossier code printed on it.

A PDF is judged by its signature (pyHanko, against the demo CA's root), whoever holds it; when its bytes are
exactly an e-result this system issued, the dossier code is told as well. A dossier code tells whether an
e-result was issued, by which agency and when, and re-checks the stored copy; it never shows the applicant.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from motcua.core.i18n import interpolate
from motcua.documents.models import ElectronicResult
from motcua.documents.results import result_title
from motcua.documents.signing import MAX_SIGNATURES, Verdict, verify_pdf

MESSAGES = {
    Verdict.VALID: _("Chữ ký số hợp lệ: văn bản còn nguyên vẹn kể từ khi được ký."),
    Verdict.TAMPERED: _("Văn bản đã bị chỉnh sửa sau khi ký: chữ ký số không còn giá trị."),
    Verdict.UNTRUSTED: _("Chữ ký số không do cơ quan nhà nước trong hệ thống cấp: không xác thực được."),
    Verdict.UNSIGNED: _("Tệp PDF không có chữ ký số."),
    Verdict.UNREADABLE: _("Không đọc được tệp: không phải PDF hoặc tệp bị hỏng."),
    Verdict.TOO_MANY_SIGNATURES: interpolate(
        _("Tệp có quá nhiều chữ ký số (nhiều hơn %(max)s): hệ thống không xác thực tệp này."),
        {"max": MAX_SIGNATURES},
    ),
}


@dataclass(frozen=True)
class DocumentCheck:
    verdict: str
    signer: str = ""
    signed_at: datetime | None = None
    certificate_serial: str = ""
    dossier_code: str = ""
    result_name: str = ""

    @property
    def valid(self) -> bool:
        return self.verdict == Verdict.VALID

    @property
    def tampered(self) -> bool:
        return self.verdict == Verdict.TAMPERED

    @property
    def refused(self) -> bool:
        """Not checked at all: the file asks for more work than a public check may take."""
        return self.verdict == Verdict.TOO_MANY_SIGNATURES

    @property
    def message(self) -> str:
        return str(MESSAGES[self.verdict])

    def as_json(self) -> dict[str, object]:
        return {
            "verdict": self.verdict,
            "valid": self.valid,
            "tampered": self.tampered,
            "message": self.message,
            "signed_by": self.signer,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "certificate_serial": self.certificate_serial,
            "dossier_code": self.dossier_code,
            "result_name": self.result_name,
        }


def verify_document(*, data: bytes) -> DocumentCheck:
    """The verdict on an uploaded PDF; the dossier when the bytes are one of this system's e-results."""
    checked = verify_pdf(data)
    issued = _issued(hashlib.sha256(data).hexdigest()) if checked.valid else None
    return DocumentCheck(
        verdict=checked.verdict,
        signer=checked.signer,
        signed_at=checked.signed_at,
        certificate_serial=checked.certificate_serial,
        dossier_code=issued.dossier.code if issued else "",
        result_name=_result_name(issued) if issued else "",
    )


def verify_dossier_code(*, code: str) -> DocumentCheck | None:
    """The e-result issued for the dossier `code` (re-checking the stored copy), None when there is none."""
    issued = (
        ElectronicResult.objects.filter(dossier__code=code.strip())
        .select_related("dossier__procedure", "stored_file", "signed_by_unit")
        .first()
    )
    if issued is None:
        return None
    with issued.stored_file.file.open("rb") as handle:
        checked = verify_pdf(handle.read())
    return DocumentCheck(
        verdict=checked.verdict,
        signer=issued.signed_by_unit.name,
        signed_at=issued.signed_at,
        certificate_serial=issued.certificate_serial,
        dossier_code=issued.dossier.code,
        result_name=_result_name(issued),
    )


def _issued(sha256: str) -> ElectronicResult | None:
    return (
        ElectronicResult.objects.filter(stored_file__sha256=sha256)
        .select_related("dossier__procedure", "signed_by_unit")
        .first()
    )


def _result_name(issued: ElectronicResult) -> str:
    return result_title(issued.dossier.procedure.result_name) or issued.dossier.procedure.name
