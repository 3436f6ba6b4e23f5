"""Forms 01–06 render with the dossier's facts, in Vietnamese, with the QR code of the tracking page."""

from datetime import timedelta

import pytest
from django.utils.timezone import localtime

from motcua.core.errors import ValidationFailed
from motcua.documents import slips
from motcua.documents.selectors import available_slips
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Status
from tests.dossiers.helpers import at, dossier_in
from tests.factories import local
from tests.support.pdfs import image_count, page_size, pdf_text

A5_SHORT, A5_LONG = 419.5, 595.3  # points


def dmy(moment) -> str:
    return localtime(moment).strftime("%d/%m/%Y")


def assert_common(pdf: bytes, dossier: Dossier, form_no: str) -> str:
    text = pdf_text(pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert form_no in text
    assert dossier.code in text
    assert dossier.applicant_name in text
    assert image_count(pdf) >= 1  # the QR code
    return text


def test_receipt_slip(province):
    dossier = dossier_in(province, Status.ACCEPTED)
    pdf = slips.receipt_slip(dossier)
    text = assert_common(pdf, dossier, "Mẫu số 01")
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    appointment = localtime(dossier.appointment_at)
    assert (
        appointment.strftime("Thời gian trả kết quả giải quyết hồ sơ: %H giờ %M phút, ngày %d/%m/%Y") in text
    )
    assert "09 giờ 00 phút, ngày 02/03/2026" in text  # received
    assert dossier.applicant_id_number in text
    assert "Tờ khai" in text and "Bản chính" in text
    assert "Giấy ủy quyền" not in text  # optional component not provided
    assert "Thủ tục 1.001193" in text and "3 ngày làm việc" in text
    assert "Trực tiếp" in text
    assert province.counter.display_name in text  # the receiving officer
    assert "PHƯỜNG THÀNH VINH" in text and "Thành Vinh, ngày 02 tháng 03 năm 2026" in text
    assert page_size(pdf) == pytest.approx((A5_SHORT, A5_LONG), abs=1)


def test_receipt_slip_of_an_online_dossier_names_the_accepting_officer(province):
    dossier = dossier_in(province, Status.NEW_ONLINE)
    with pytest.raises(ValidationFailed):
        slips.receipt_slip(dossier)
    province.counter.last_name, province.counter.first_name = "Lê Thị", "Hoa"
    province.counter.save()
    dossier = services.accept(dossier=dossier, acting_user=province.counter, now=at(1))
    text = pdf_text(slips.receipt_slip(dossier))
    assert "Lê Thị Hoa" in text and "Trực tuyến" in text


def test_receipt_slip_escapes_markup_in_names(province):
    dossier = province.receive(now=at(0), name="Trần <Thị> & Bình")
    assert "Trần <Thị> & Bình" in pdf_text(slips.receipt_slip(dossier))


def test_supplement_request_after_appraisal(province):
    dossier = dossier_in(province, Status.PROCESSING)
    dossier = services.request_supplement(
        dossier=dossier,
        acting_user=province.specialist,
        missing=["Tờ khai", "Giấy chứng sinh"],
        reason="Tờ khai chưa có chữ ký",
        now=at(2),
    )
    pdf = slips.supplement_request_slip(dossier)
    text = assert_common(pdf, dossier, "Mẫu số 02")
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "Tờ khai Bản chính" in text  # matched to the procedure's component
    assert "Giấy chứng sinh —" in text  # not a component: form unknown
    assert "Tờ khai chưa có chữ ký" in text
    assert "specialist" in text  # the contact officer
    assert "an@example.vn" in text and "0912345678" in text


def test_supplement_request_at_online_reception(province):
    dossier = dossier_in(province, Status.NEW_ONLINE)
    dossier = services.ask_to_complete(
        dossier=dossier,
        acting_user=province.counter,
        missing=["Bản sao giấy chứng nhận kết hôn"],
        reason="Thiếu giấy tờ",
        now=at(1),
    )
    text = pdf_text(slips.supplement_request_slip(dossier))
    assert "Bản sao giấy chứng nhận kết hôn" in text and "Thiếu giấy tờ" in text
    assert "counter" in text


def test_supplement_request_slip_needs_a_request(province):
    with pytest.raises(ValidationFailed) as caught:
        slips.supplement_request_slip(dossier_in(province, Status.PROCESSING))
    assert caught.value.code == "no_supplement_request"


@pytest.mark.parametrize(
    ("status", "reason", "wording"),
    [
        (Status.NOT_ACCEPTED, "Sai thẩm quyền", "không tiếp nhận hồ sơ"),
        (Status.STOPPED, "Không đủ điều kiện", "không giải quyết hồ sơ"),
    ],
)
def test_refusal_slip(province, status, reason, wording):
    dossier = dossier_in(province, status)
    pdf = slips.refusal_slip(dossier)
    text = assert_common(pdf, dossier, "Mẫu số 03")
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ" in text
    assert reason in text and wording in text


def test_refusal_at_online_reception(province):
    dossier = dossier_in(province, Status.NEW_ONLINE)
    dossier = services.refuse_reception(
        dossier=dossier, acting_user=province.counter, reason="Nộp nhầm cơ quan", now=at(1)
    )
    assert "Nộp nhầm cơ quan" in pdf_text(slips.refusal_slip(dossier))


def test_refusal_slip_needs_a_refusal(province):
    with pytest.raises(ValidationFailed):
        slips.refusal_slip(dossier_in(province, Status.ACCEPTED))


def test_apology_slip(province):
    dossier = dossier_in(province, Status.PROCESSING)
    previous = dossier.appointment_at
    dossier = services.reschedule(
        dossier=dossier,
        acting_user=province.specialist,
        new_appointment_at=local(2026, 3, 10, 16),
        reason="Chờ xác minh thông tin cư trú",
        now=at(52),  # Wed 04/03 13:00: the first step (due 04/03 09:00) overran, so the dossier is at risk
    )
    pdf = slips.apology_slip(dossier)
    text = assert_common(pdf, dossier, "Mẫu số 04")
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "16 giờ 00 phút, ngày 10/03/2026" in text
    assert dmy(previous) in text
    assert "Chờ xác minh thông tin cư trú" in text
    assert "Thẩm định" in text  # the step that caused the delay
    # the receipt shows the original appointment and the new one
    receipt = pdf_text(slips.receipt_slip(dossier))
    assert dmy(previous) in receipt and "10/03/2026" in receipt


def test_apology_slip_needs_a_reschedule(province):
    with pytest.raises(ValidationFailed) as caught:
        slips.apology_slip(dossier_in(province, Status.PROCESSING))
    assert caught.value.code == "no_reschedule"


def test_control_slip_lists_every_handover(province):
    dossier = dossier_in(province, Status.RETURNED)
    pdf = slips.control_slip(dossier)
    text = assert_common(pdf, dossier, "Mẫu số 05")
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    folded = text.casefold()
    for label in [
        "tiếp nhận hồ sơ",
        "chuyển xử lý",
        "chuyển bước tiếp theo",
        "phê duyệt",
        "hoàn thành xử lý, có kết quả",
        "trả kết quả",
    ]:
        assert label in folded
    assert "02/03/2026 09:00" in text and "02/03/2026 13:00" in text  # dd/mm/yyyy hh:mm
    width, height = page_size(pdf)
    assert width > height  # A5 landscape


def test_tracking_book(province):
    first = dossier_in(province, Status.ACCEPTED)
    second = dossier_in(province, Status.STOPPED)
    pdf = slips.tracking_book(
        Dossier.objects.filter(pk__in=[first.pk, second.pk]).order_by("code"),
        unit=province.commune,
        period_label="Tháng 3/2026",
    )
    text = pdf_text(pdf)
    assert "Mẫu số 06" in text and "SỔ THEO DÕI HỒ SƠ" in text and "Tháng 3/2026" in text
    assert first.code in text and second.code in text
    assert "Dừng xử lý" in text
    width, height = page_size(pdf)
    assert width > height and width == pytest.approx(841.9, abs=1)  # A4 landscape


def test_same_dossier_same_moment_same_bytes(province):
    dossier = dossier_in(province, Status.ACCEPTED)
    moment = at(5)
    assert slips.receipt_slip(dossier, printed_at=moment) == slips.receipt_slip(dossier, printed_at=moment)
    assert "In lúc 02/03/2026 14:00" in pdf_text(slips.receipt_slip(dossier, printed_at=moment))


def test_tracking_url_carries_the_code_only(province, settings):
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.nghean.gov.vn/"
    dossier = dossier_in(province, Status.ACCEPTED)
    url = slips.tracking_url(dossier)
    assert url == f"https://dichvucong.nghean.gov.vn/tra-cuu/?ma={dossier.code}"
    assert dossier.applicant_id_number not in url


def test_registry_and_file_names(province):
    dossier = dossier_in(province, Status.ACCEPTED)
    assert (
        set(slips.SLIPS)
        == set(slips.SLIP_TITLES)
        == {"tiep-nhan", "bo-sung", "tu-choi", "xin-loi", "kiem-soat"}
    )
    name = slips.slip_filename("tiep-nhan", dossier)
    assert name == f"phieu-tiep-nhan-{dossier.code}.pdf" and name.isascii()
    with pytest.raises(KeyError):
        slips.slip_filename("khac", dossier)


@pytest.mark.parametrize(
    ("status", "kinds"),
    [
        (Status.NEW_ONLINE, ["kiem-soat"]),
        (Status.NOT_ACCEPTED, ["tu-choi", "kiem-soat"]),
        (Status.ACCEPTED, ["tiep-nhan", "kiem-soat"]),
        (Status.SUPPLEMENT_REQUESTED, ["tiep-nhan", "bo-sung", "kiem-soat"]),
        (Status.STOPPED, ["tiep-nhan", "tu-choi", "kiem-soat"]),
    ],
)
def test_available_slips_render(province, status, kinds):
    dossier = dossier_in(province, status)
    assert available_slips(dossier) == kinds
    for kind in kinds:
        assert slips.SLIPS[kind](dossier).startswith(b"%PDF-")


def test_long_control_slip_runs_onto_more_pages(province):
    dossier = dossier_in(province, Status.PROCESSING)
    for hour in range(12):
        dossier = services.request_financial_obligation(
            dossier=dossier, acting_user=province.specialist, reason="Nộp phí " * 20, now=at(1 + hour)
        )
        dossier = services.fulfil_financial_obligation(
            dossier=dossier, acting_user=province.specialist, now=at(1 + hour) + timedelta(minutes=30)
        )
    text = pdf_text(slips.control_slip(dossier))
    assert text.count("Xác nhận hoàn thành nghĩa vụ tài chính") == 12
    assert "Trang 2" in text
