"""Slips of processing: form 04 (apology and new date), 05 (control slip), 06 (tracking book).

Sources: form 04 the dossier's `Reschedule`; 05 `dossiers.selectors.handovers`; 06 the dossiers the caller
selected.
"""

from collections.abc import Iterable
from datetime import datetime

from django.utils.translation import gettext as _
from reportlab.platypus import Flowable, Spacer

from motcua.core.errors import ValidationFailed
from motcua.core.models import OrgUnit
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import handovers, reschedule_of
from motcua.dossiers.states import Status

from .content import (
    person,
    procedure_text,
    render_slip,
    tracking_url,
)
from .layout import (
    A4_LANDSCAPE,
    A5_LANDSCAPE,
    A5_PORTRAIT,
    content_width,
    date_dmy,
    esc,
    field,
    grid,
    heading,
    long_time,
    para,
    place_date,
    render,
    signatures,
    text,
    time_dmy,
    title_with_qr,
)

# --- form 04 -----------------------------------------------------------------------------------------


def apology_slip(dossier: Dossier, *, printed_at: datetime) -> bytes:
    rescheduled = reschedule_of(dossier)
    if rescheduled is None:
        raise ValidationFailed(
            _("Hồ sơ chưa có phiếu xin lỗi và hẹn lại ngày trả kết quả."), code="no_reschedule"
        )
    unit, page = rescheduled.responsible_unit, A5_PORTRAIT
    width = content_width(page)
    said = {"unit": unit.name, "name": dossier.applicant_name}
    story: list[Flowable] = [
        *heading(
            unit=unit, form_no=_("Mẫu số 04"), dated=place_date(unit, rescheduled.issued_at), width=width
        ),
        title_with_qr(
            title=_("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
            lines=[field(_("Mã hồ sơ"), dossier.code)],
            url=tracking_url(dossier),
            width=width,
        ),
        text(
            _("Ngày %(date)s, %(receiving)s tiếp nhận hồ sơ của ông/bà %(name)s.")
            % {"date": date_dmy(dossier.received_at), "receiving": dossier.receiving_unit.name, **said}
        ),
        field(_("Nội dung yêu cầu giải quyết"), procedure_text(dossier.procedure)),
        field(
            _("Thời gian hẹn trả kết quả giải quyết hồ sơ"), long_time(rescheduled.previous_appointment_at)
        ),
        text(_("Tuy nhiên đến nay, %(unit)s chưa trả kết quả giải quyết hồ sơ của ông/bà đúng hẹn.") % said),
        field(_("Lý do"), rescheduled.reason),
    ]
    if rescheduled.step is not None:
        story.append(field(_("Bước xử lý chậm"), rescheduled.step.name))
    story += [
        text(
            _(
                "Sự chậm trễ này đã gây phiền hà cho ông/bà. %(unit)s xin lỗi ông/bà và sẽ trả kết quả "
                "giải quyết hồ sơ cho ông/bà vào:"
            )
            % said
        ),
        para(f"<b>{esc(long_time(rescheduled.new_appointment_at))}</b>", "center"),
        text(_("Kính mong nhận được sự thông cảm của ông/bà.")),
        Spacer(1, 4),
        signatures(
            (_("Người lập phiếu"), person(rescheduled.issued_by)), (_("Thủ trưởng cơ quan"), ""), width=width
        ),
    ]
    return render_slip(story, dossier, unit, page, _("Phiếu xin lỗi và hẹn lại ngày trả kết quả"), printed_at)


# --- form 05 -----------------------------------------------------------------------------------------


def control_slip(dossier: Dossier, *, printed_at: datetime) -> bytes:
    # Six columns do not fit legibly in A5 portrait's 124 mm: the control slip is always A5 landscape.
    unit, page = dossier.receiving_unit, A5_LANDSCAPE
    width = content_width(page)
    rows = [
        (
            i,
            para(f"{esc(h.giver)}<br/>{esc(h.giver_unit)}", "cell"),
            h.receiver_unit,
            time_dmy(h.at),
            h.act_label[:1].upper() + h.act_label[1:],
            h.note,
        )
        for i, h in enumerate(handovers(dossier), start=1)
    ]
    deciding = list(
        dict.fromkeys(step.unit.name for step in dossier.steps.filter(kind="process").select_related("unit"))
    )
    story: list[Flowable] = [
        *heading(
            unit=unit,
            form_no=_("Mẫu số 05"),
            dated=place_date(unit, dossier.received_at or dossier.submitted_at),
            width=width,
        ),
        title_with_qr(
            title=_("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
            lines=[
                field(_("Mã hồ sơ"), dossier.code),
                field(_("Kèm theo hồ sơ của"), dossier.applicant_name),
                field(_("Nội dung yêu cầu giải quyết"), procedure_text(dossier.procedure)),
                field(_("Thời gian nhận hồ sơ"), time_dmy(dossier.received_at)),
                field(_("Thời gian hẹn trả kết quả"), time_dmy(dossier.appointment_at)),
                field(_("Cơ quan (bộ phận) giải quyết hồ sơ"), "; ".join(deciding)),
            ],
            url=tracking_url(dossier),
            width=width,
        ),
        Spacer(1, 3),
        grid(
            [_("STT"), _("Bên giao"), _("Bên nhận"), _("Thời gian giao, nhận"), _("Kết quả"), _("Ghi chú")],
            rows,
            [width * w for w in (0.05, 0.22, 0.20, 0.14, 0.20, 0.19)],
        ),
    ]
    return render_slip(
        story, dossier, unit, page, _("Phiếu kiểm soát quá trình giải quyết hồ sơ"), printed_at
    )


# --- form 06 -----------------------------------------------------------------------------------------


def tracking_book(
    dossiers: Iterable[Dossier], *, unit: OrgUnit, period_label: str, printed_at: datetime
) -> bytes:
    page = A4_LANDSCAPE
    width = content_width(page)
    rows = [
        (
            i,
            d.code,
            d.applicant_name,
            procedure_text(d.procedure),
            time_dmy(d.received_at),
            time_dmy(d.appointment_at),
            Status(d.status).label,
        )
        for i, d in enumerate(dossiers, start=1)
    ]
    story: list[Flowable] = [
        *heading(unit=unit, form_no=_("Mẫu số 06"), dated=place_date(unit, printed_at), width=width),
        text(_("SỔ THEO DÕI HỒ SƠ"), "title"),
        text(period_label, "center"),
        Spacer(1, 3),
        grid(
            [
                _("STT"),
                _("Mã hồ sơ"),
                _("Chủ hồ sơ"),
                _("Thủ tục"),
                _("Thời gian nhận"),
                _("Hẹn trả kết quả"),
                _("Trạng thái"),
            ],
            rows or [("", _("(không có hồ sơ)"), "", "", "", "", "")],
            [width * w for w in (0.05, 0.17, 0.15, 0.28, 0.1, 0.1, 0.15)],
        ),
    ]
    title = _("Sổ theo dõi hồ sơ")
    return render(
        story, pagesize=page, title=title, subject=period_label, author=unit.name, printed_at=printed_at
    )
