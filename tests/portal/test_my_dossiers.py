"""“Hồ sơ của tôi”: only one's own dossiers; supplement answered online; withdrawal; slips."""

import pytest
from django.utils.timezone import localtime

from motcua.documents.models import ComponentFile
from motcua.dossiers import services
from motcua.dossiers.states import Status
from tests.dossiers.helpers import at, dossier_in
from tests.portal.helpers import exe_upload, pdf_upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_another_citizen_gets_404(client, province):
    d = dossier_in(province, Status.PROCESSING)
    d.applicant_user = province.citizen  # received at the counter for the account holder
    d.save(update_fields=["applicant_user"])
    client.force_login(province.other_citizen)
    assert d.code not in client.get("/ho-so-cua-toi/").content.decode()
    for url in ("", "phieu/tiep-nhan.pdf", "tep/1/"):
        assert client.get(f"/ho-so-cua-toi/{d.code}/{url}").status_code == 404
    assert client.post(f"/ho-so-cua-toi/{d.code}/rut-ho-so/", {"reason": "x"}).status_code == 404
    client.force_login(province.citizen)
    page = client.get(f"/ho-so-cua-toi/{d.code}/")
    assert page.status_code == 200 and "Đang xử lý" in page.content.decode()
    receipt = client.get(f"/ho-so-cua-toi/{d.code}/phieu/tiep-nhan.pdf")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    assert client.get(f"/ho-so-cua-toi/{d.code}/phieu/kiem-soat.pdf").status_code == 404


def online_supplement(province):
    d = services.submit_online(intake=province.intake(), acting_user=province.citizen, now=at(0))
    d = services.accept(dossier=d, acting_user=province.counter, now=at(0.2))
    d = services.start_processing(dossier=d, acting_user=province.counter, now=at(0.5))
    return services.request_supplement(
        dossier=d,
        acting_user=province.specialist,
        missing=["Giấy chứng sinh"],
        reason="Thiếu giấy chứng sinh",
        now=at(1),
    )


def test_supplement_answered_online_restarts_the_clock(client, province):
    d = online_supplement(province)
    old_appointment = d.appointment_at
    client.force_login(province.citizen)
    page = client.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert "Thiếu giấy chứng sinh" in page and "Gửi bổ sung" in page
    bad = client.post(f"/ho-so-cua-toi/{d.code}/bo-sung/", {"item_0_files": exe_upload()})
    assert bad.status_code == 400 and "Chỉ nhận tệp PDF" in bad.content.decode()
    d.refresh_from_db()
    assert d.status == Status.SUPPLEMENT_REQUESTED and not ComponentFile.objects.exists()
    good = client.post(
        f"/ho-so-cua-toi/{d.code}/bo-sung/",
        {"item_0_files": pdf_upload("chung-sinh.pdf")},
    )
    assert good.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and d.appointment_at > old_appointment
    assert ComponentFile.objects.get().kind == "upload"
    page = client.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert localtime(d.appointment_at).strftime("%d/%m/%Y %H:%M") in page


def test_withdraw_needs_a_reason(client, province):
    d = dossier_in(province, Status.PROCESSING)
    d.applicant_user = province.citizen
    d.save(update_fields=["applicant_user"])
    client.force_login(province.citizen)
    assert client.post(f"/ho-so-cua-toi/{d.code}/rut-ho-so/", {"reason": " "}).status_code == 400
    d.refresh_from_db()
    assert d.status == Status.PROCESSING
    assert (
        client.post(f"/ho-so-cua-toi/{d.code}/rut-ho-so/", {"reason": "Không còn nhu cầu"}).status_code == 302
    )
    d.refresh_from_db()
    assert d.status == Status.WITHDRAWN


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (Status.SUPPLEMENT_REQUESTED, "Tạm dừng tính thời hạn, chờ bổ sung từ 02/03/2026"),
        (
            Status.FINANCIAL_OBLIGATION,
            "Tạm dừng tính thời hạn, chờ thực hiện nghĩa vụ tài chính từ 02/03/2026",
        ),
    ],
)
def test_a_paused_dossier_says_the_clock_is_stopped_not_overdue(client, province, status, text):
    d = dossier_in(province, status)  # paused on 02/03/2026; its old appointment (05/03/2026) has passed
    d.applicant_user = province.citizen
    d.save(update_fields=["applicant_user"])
    client.force_login(province.citizen)
    old_appointment = localtime(d.appointment_at).strftime("%d/%m/%Y %H:%M")
    for url in ("/ho-so-cua-toi/", f"/ho-so-cua-toi/{d.code}/"):
        page = client.get(url).content.decode()
        assert text in page, url
        assert "quá hạn" not in page and old_appointment not in page, url


def test_an_overdue_dossier_says_so(client, province):
    d = dossier_in(province, Status.PROCESSING)
    d.applicant_user = province.citizen
    d.save(update_fields=["applicant_user"])
    client.force_login(province.citizen)
    page = client.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert "Đang xử lý quá hạn" in page and "Tạm dừng" not in page
