"""Slips of reception: form 01 (receipt and appointment), 02 (supplement request), 03 (refusal).

Sources: form 01 the dossier and its receive/accept event; 02 the latest supplement pause or, at online
reception, the latest ask_to_complete event, whichever is later; 03 the latest refusal event.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from reportlab.platypus import Flowable, Spacer

from motcua.core.errors import ValidationFailed
from motcua.core.models import OrgUnit, User
from motcua.dossiers import payloads
from motcua.dossiers.models import ClockPause, Dossier
from motcua.dossiers.selectors import reschedule_of
from motcua.dossiers.states import Act

from .content import (
    applicant_lines,
    component_forms,
    form_label,
    latest_event,
    match_form,
    person,
    procedure_text,
    render_slip,
    time_limit_text,
    tracking_url,
)
from .layout import (
    A5_PORTRAIT,
    content_width,
    esc,
    field,
    grid,
    heading,
    long_time,
    para,
    place_date,
    signatures,
    text,
    time_dmy,
    title_with_qr,
)

# --- form 01 -----------------------------------------------------------------------------------------


def receipt_slip(dossier: Dossier, *, printed_at: datetime) -> bytes:
    if dossier.received_at is None or dossier.appointment_at is None:
        raise ValidationFailed(
            _("Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận và hẹn trả kết quả."), code="not_received"
        )
    unit, page = dossier.receiving_unit, A5_PORTRAIT
    width = content_width(page)
    reception = latest_event(dossier, Act.RECEIVE, Act.ACCEPT)
    officer = person(reception.actor if reception else None)
    appointment = dossier.original_appointment_at or dossier.appointment_at
    components = dossier.components.filter(provided=True).order_by("pk")
    rows: list[tuple[object, ...]] = [
        (i, c.name, form_label(c.form), f"{c.count:02d}") for i, c in enumerate(components, start=1)
    ] or [("", _("(không có thành phần nào được ghi nhận)"), "", "")]
    story: list[Flowable] = [
        *heading(unit=unit, form_no=_("Mẫu số 01"), dated=place_date(unit, dossier.received_at), width=width),
        title_with_qr(
            title=_("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
            lines=[field(_("Mã hồ sơ"), dossier.code)],
            url=tracking_url(dossier),
            width=width,
        ),
        text(_("%(unit)s tiếp nhận hồ sơ của:") % {"unit": unit.name}),
        *applicant_lines(dossier, with_id=True),
        field(_("Nội dung yêu cầu giải quyết"), procedure_text(dossier.procedure)),
        text(_("1. Thành phần hồ sơ nộp gồm:")),
        grid(
            [_("STT"), _("Tên giấy tờ"), _("Hình thức"), _("Số lượng")],
            rows,
            [width * 0.08, width * 0.56, width * 0.24, width * 0.12],
        ),
        Spacer(1, 3),
        field(_("2. Số lượng hồ sơ"), _("01 bộ")),
        field(_("3. Thời gian giải quyết hồ sơ theo quy định"), time_limit_text(dossier.procedure)),
        field(_("4. Thời gian nhận hồ sơ"), long_time(dossier.received_at)),
        field(_("5. Thời gian trả kết quả giải quyết hồ sơ"), long_time(appointment)),
        field(_("6. Hình thức nộp hồ sơ"), dossier.get_channel_display()),
        field(_("7. Nơi nhận kết quả"), unit.name),
    ]
    rescheduled = reschedule_of(dossier)
    if rescheduled is not None:
        story.append(
            field(_("Ngày hẹn đã điều chỉnh theo phiếu xin lỗi"), long_time(rescheduled.new_appointment_at))
        )
    story += [
        Spacer(1, 4),
        signatures(
            (_("Người nộp hồ sơ"), dossier.applicant_name),
            (_("Người tiếp nhận hồ sơ"), officer),
            width=width,
        ),
    ]
    return render_slip(story, dossier, unit, page, _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"), printed_at)


# --- form 02 -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupplementRequest:
    """Form 02's source: a supplement pause after appraisal or an ask-to-complete at online reception."""

    at: datetime
    missing: list[str]
    reason: str
    officer: User | None
    unit: OrgUnit | None


def supplement_source(dossier: Dossier) -> SupplementRequest | None:
    candidates: list[SupplementRequest] = []
    pause = (
        dossier.pauses.filter(kind=ClockPause.Kind.SUPPLEMENT)
        .select_related("requested_by__org_unit", "step__unit")
        .order_by("-started_at", "-pk")
        .first()
    )
    if pause is not None:
        officer = pause.requested_by
        candidates.append(
            SupplementRequest(
                at=pause.started_at,
                missing=[str(item) for item in pause.missing_items],
                reason=pause.reason,
                officer=officer,
                unit=officer.org_unit or (pause.step.unit if pause.step else None),
            )
        )
    asked = latest_event(dossier, Act.ASK_TO_COMPLETE)
    if asked is not None:
        candidates.append(
            SupplementRequest(
                at=asked.at,
                missing=list(payloads.missing_items(asked)),
                reason=asked.reason,
                officer=asked.actor,
                unit=asked.actor_unit,
            )
        )
    return max(candidates, key=lambda c: c.at, default=None)


def supplement_request_slip(dossier: Dossier, *, printed_at: datetime) -> bytes:
    source = supplement_source(dossier)
    if source is None:
        raise ValidationFailed(
            _("Hồ sơ chưa có yêu cầu bổ sung, hoàn thiện nào."), code="no_supplement_request"
        )
    unit, page = dossier.receiving_unit, A5_PORTRAIT
    width = content_width(page)
    forms = component_forms(dossier)
    rows = [(i, item, match_form(item, forms)) for i, item in enumerate(source.missing, start=1)]
    officer = source.officer
    contact = {
        "officer": person(officer),
        "unit": (source.unit or unit).name,
        "phone": (officer.phone if officer else "") or "…………",
    }
    story: list[Flowable] = [
        *heading(unit=unit, form_no=_("Mẫu số 02"), dated=place_date(unit, source.at), width=width),
        title_with_qr(
            title=_("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
            lines=[field(_("Mã hồ sơ"), dossier.code)],
            url=tracking_url(dossier),
            width=width,
        ),
        field(_("Hồ sơ của"), dossier.applicant_name),
        field(_("Nội dung yêu cầu giải quyết"), procedure_text(dossier.procedure)),
        *applicant_lines(dossier, with_name=False),
        text(_("Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:")),
        grid(
            [_("STT"), _("Giấy tờ cần bổ sung, hoàn thiện"), _("Bản chính / bản sao chứng thực / bản sao")],
            rows,
            [width * 0.08, width * 0.62, width * 0.30],
        ),
        Spacer(1, 3),
        field(_("Lý do"), source.reason),
        text(
            _(
                "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ %(officer)s, %(unit)s, "
                "số điện thoại %(phone)s để được hướng dẫn."
            )
            % contact
        ),
        Spacer(1, 4),
        signatures((_("Người hướng dẫn"), person(officer)), width=width),
    ]
    return render_slip(story, dossier, unit, page, _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"), printed_at)


# --- form 03 -----------------------------------------------------------------------------------------

REFUSAL_ACTS = (Act.REFUSE_AT_COUNTER, Act.REFUSE_RECEPTION, Act.REFUSE)


def refusal_slip(dossier: Dossier, *, printed_at: datetime) -> bytes:
    event = latest_event(dossier, *REFUSAL_ACTS)
    if event is None:
        raise ValidationFailed(_("Hồ sơ không bị từ chối tiếp nhận hay giải quyết."), code="not_refused")
    unit, page = dossier.receiving_unit, A5_PORTRAIT
    width = content_width(page)
    at_reception = event.act != Act.REFUSE
    deciding = event.actor_unit or (event.step.unit if event.step else unit)
    if at_reception:
        decision = _("Qua xem xét, %(unit)s thông báo không tiếp nhận hồ sơ này với lý do cụ thể như sau:")
        signer = _("Người tiếp nhận hồ sơ")
    else:
        decision = _("Qua thẩm định, %(unit)s thông báo không giải quyết hồ sơ này với lý do cụ thể như sau:")
        signer = _("Cơ quan giải quyết hồ sơ")
    story: list[Flowable] = [
        *heading(unit=unit, form_no=_("Mẫu số 03"), dated=place_date(unit, event.at), width=width),
        title_with_qr(
            title=_("PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ"),
            lines=[field(_("Mã hồ sơ"), dossier.code)],
            url=tracking_url(dossier),
            width=width,
        ),
        text(_("%(unit)s tiếp nhận hồ sơ của:") % {"unit": unit.name}),
        *applicant_lines(dossier),
        field(_("Nội dung yêu cầu giải quyết"), procedure_text(dossier.procedure)),
        field(_("Ngày nộp hồ sơ"), time_dmy(dossier.submitted_at)),
        text(decision % {"unit": deciding.name}),
        para(f"<b>{esc(event.reason)}</b>"),
        text(_("Xin thông báo để ông/bà được biết và thực hiện./.")),
        Spacer(1, 4),
        signatures((signer, person(event.actor)), width=width),
    ]
    return render_slip(story, dossier, unit, page, _("Phiếu từ chối tiếp nhận, giải quyết hồ sơ"), printed_at)
