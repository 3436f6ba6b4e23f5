"""The dossier page, its control slip page and slip PDFs, and the lateness warning with the apology form."""

from datetime import timedelta
from io import BytesIO

from django.utils import timezone
from pypdf import PdfReader

from motcua.dossiers import services
from motcua.dossiers.states import Status
from tests.backoffice.helpers import client_for, dossier_url, working_moment_later
from tests.dossiers.helpers import dossier_in


def pdf_text(response) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    return " ".join(text.split())  # lines wrap inside names


def test_the_page_shows_facts_steps_history_and_slips(province):
    dossier = province.processing(province.inter_agency)
    body = client_for(province.specialist).get(dossier_url(dossier)).content.decode()
    appointment = timezone.localtime(dossier.appointment_at).strftime("%d/%m/%Y %H:%M")
    for text in (
        dossier.code,
        "Nguyễn Văn An",
        "Trực tiếp",
        "Đang xử lý",
        appointment,
        "Xã thẩm định",
        "Sở Tư pháp",
        "Lãnh đạo Sở phê duyệt",
        "Tiếp nhận hồ sơ",
        "Chuyển xử lý",
        "/phieu/tiep-nhan.pdf",
        "/phieu/kiem-soat.pdf",
        "Chuyển bước tiếp theo",
    ):
        assert text in body, text
    assert "/phieu/xin-loi.pdf" not in body


def test_the_other_agency_sees_the_dossier_once_its_step_came(province):
    dossier = province.processing(province.inter_agency)
    justice = client_for(province.justice_specialist)
    assert justice.get(dossier_url(dossier)).status_code == 200  # its step exists from the start
    dossier = services.complete_step(dossier=dossier, acting_user=province.specialist)
    assert "Chuyển bước tiếp theo" in justice.get(dossier_url(dossier)).content.decode()


def test_control_slip_page_and_pdf(province):
    dossier = dossier_in(province, Status.PROCESSING)
    client = client_for(province.counter)
    body = client.get(dossier_url(dossier, "phieu-kiem-soat/")).content.decode()
    assert "Phiếu kiểm soát quá trình giải quyết hồ sơ" in body
    at = timezone.localtime(dossier.received_at).strftime("%d/%m/%Y %H:%M")
    assert at in body and "Phường Thành Vinh" in body
    pdf = client.get(dossier_url(dossier, "phieu/kiem-soat.pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert dossier.code in pdf_text(pdf)


def test_receipt_slip_pdf_names_code_applicant_and_appointment(province):
    dossier = province.receive()
    pdf = client_for(province.counter).get(dossier_url(dossier, "phieu/tiep-nhan.pdf"))
    text = pdf_text(pdf)
    assert dossier.code in text and "Nguyễn Văn An" in text
    assert timezone.localtime(dossier.appointment_at).strftime("%d/%m/%Y") in text


def test_a_slip_without_its_record_is_not_found(province):
    dossier = province.receive()
    client = client_for(province.counter)
    assert client.get(dossier_url(dossier, "phieu/xin-loi.pdf")).status_code == 404
    assert client.get(dossier_url(dossier, "phieu/khong-co.pdf")).status_code == 404


def test_an_overdue_dossier_is_highlighted_with_the_apology_form(province):
    dossier = province.processing(now=timezone.now() - timedelta(days=20))
    client = client_for(province.leader)
    body = client.get(dossier_url(dossier)).content.decode()
    assert "Hồ sơ đã quá hạn" in body and 'class="alert"' in body
    assert "/xu-ly/reschedule/" in body
    services.reschedule(
        dossier=dossier,
        acting_user=province.leader,
        new_appointment_at=working_moment_later(),
        reason="Chậm xác minh",
    )
    body = client.get(dossier_url(dossier)).content.decode()
    assert "/phieu/xin-loi.pdf" in body and "/xu-ly/reschedule/" not in body


def test_a_dossier_due_within_a_working_day_is_at_risk(province):
    dossier = province.processing()
    from motcua.dossiers.models import Dossier

    soon = timezone.now() + timedelta(hours=2)
    Dossier.objects.filter(pk=dossier.pk).update(appointment_at=soon)
    body = client_for(province.leader).get(dossier_url(dossier)).content.decode()
    assert "Hồ sơ sắp đến hạn" in body or "Hồ sơ đã quá hạn" in body
