"""Legal slips of the one-stop mechanism as PDF (Circular 01/2018 forms 01–06), in Vietnamese.

Public API (also re-exported by `motcua.documents.services`)::

    receipt_slip(dossier) -> bytes               # 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả
    supplement_request_slip(dossier) -> bytes    # 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
    refusal_slip(dossier) -> bytes               # 03 Phiếu từ chối tiếp nhận, giải quyết hồ sơ
    apology_slip(dossier) -> bytes               # 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả
    control_slip(dossier) -> bytes               # 05 Phiếu kiểm soát quá trình giải quyết hồ sơ
    tracking_book(dossiers, *, unit, period_label) -> bytes   # 06 Sổ theo dõi hồ sơ (A4 landscape)
    SLIPS[kind](dossier) -> bytes; SLIP_TITLES[kind]; slip_filename(kind, dossier) -> str
    tracking_url(dossier) -> str                 # what the QR code opens

Each takes an optional keyword `printed_at` (default now): the "printed at" footer is the only part of a slip
that does not come from the dossier's records, so the same dossier and moment give the same bytes. A slip
whose source record does not exist (no reception, no supplement request, no refusal, no apology) raises
`ValidationFailed`. Slips are legal documents and render in Vietnamese whatever the active language; the
strings are in gettext so a translated courtesy copy needs only a different `SLIP_LANGUAGE`.
"""

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import wraps

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from motcua.core.models import OrgUnit
from motcua.dossiers.models import Dossier

from . import processing, reception
from .content import tracking_url

SLIP_LANGUAGE = "vi"

__all__ = [
    "SLIPS",
    "SLIP_TITLES",
    "apology_slip",
    "control_slip",
    "receipt_slip",
    "refusal_slip",
    "slip_filename",
    "supplement_request_slip",
    "tracking_book",
    "tracking_url",
]


def _in_slip_language[**P](render: Callable[P, bytes]) -> Callable[P, bytes]:
    @wraps(render)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> bytes:
        with translation.override(SLIP_LANGUAGE):
            return render(*args, **kwargs)

    return wrapper


@_in_slip_language
def receipt_slip(dossier: Dossier, *, printed_at: datetime | None = None) -> bytes:
    """Form 01: code, applicant, procedure, components received, reception and appointment, officer."""
    return reception.receipt_slip(dossier, printed_at=printed_at or timezone.now())


@_in_slip_language
def supplement_request_slip(dossier: Dossier, *, printed_at: datetime | None = None) -> bytes:
    """Form 02: every missing item (with its form when it names a component), the reason, the contact."""
    return reception.supplement_request_slip(dossier, printed_at=printed_at or timezone.now())


@_in_slip_language
def refusal_slip(dossier: Dossier, *, printed_at: datetime | None = None) -> bytes:
    """Form 03: the reason of the latest refusal (at the counter, at online reception or after appraisal)."""
    return reception.refusal_slip(dossier, printed_at=printed_at or timezone.now())


@_in_slip_language
def apology_slip(dossier: Dossier, *, printed_at: datetime | None = None) -> bytes:
    """Form 04: previous and new appointment, reason, the responsible unit and step."""
    return processing.apology_slip(dossier, printed_at=printed_at or timezone.now())


@_in_slip_language
def control_slip(dossier: Dossier, *, printed_at: datetime | None = None) -> bytes:
    """Form 05 (A5 landscape): one row per hand-over — giver, receiver, time, result, note."""
    return processing.control_slip(dossier, printed_at=printed_at or timezone.now())


@_in_slip_language
def tracking_book(
    dossiers: Iterable[Dossier], *, unit: OrgUnit, period_label: str, printed_at: datetime | None = None
) -> bytes:
    """Form 06 (A4 landscape): the register of the given dossiers, in the order given.

    The caller selects and scopes the dossiers; pass a queryset with `select_related("procedure")`.
    """
    return processing.tracking_book(
        dossiers, unit=unit, period_label=period_label, printed_at=printed_at or timezone.now()
    )


SLIPS: dict[str, Callable[[Dossier], bytes]] = {
    "tiep-nhan": receipt_slip,
    "bo-sung": supplement_request_slip,
    "tu-choi": refusal_slip,
    "xin-loi": apology_slip,
    "kiem-soat": control_slip,
}

SLIP_TITLES = {
    "tiep-nhan": _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "bo-sung": _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "tu-choi": _("Phiếu từ chối tiếp nhận, giải quyết hồ sơ"),
    "xin-loi": _("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "kiem-soat": _("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
}


def slip_filename(kind: str, dossier: Dossier) -> str:
    """An ASCII download name, e.g. `phieu-tiep-nhan-000.00.12.H40-260302-0001.pdf`."""
    if kind not in SLIPS:
        raise KeyError(kind)
    code = re.sub(r"[^A-Za-z0-9.-]+", "-", dossier.code)
    return f"phieu-{kind}-{code}.pdf"
