"""Public tracking needs the code and a second factor, so printed codes cannot be enumerated."""

from django.utils.timezone import localtime

from motcua.dossiers.states import Status
from tests.dossiers.helpers import dossier_in


def test_tracking_with_id_number_or_phone(client, province):
    d = dossier_in(province, Status.PROCESSING)
    page = client.get("/tra-cuu/", {"ma": d.code, "xac_thuc": "040090001234"})
    assert page.status_code == 200
    html = page.content.decode()
    assert d.code in html and "Đang xử lý" in html and "Nguyễn Văn An" in html
    assert client.get("/tra-cuu/", {"ma": d.code, "xac_thuc": "0912 345 678"}).status_code == 200


def test_wrong_second_factor_reveals_nothing(client, province):
    d = dossier_in(province, Status.PROCESSING)
    for factor in ("040090009999", "1234", ""):
        page = client.get("/tra-cuu/", {"ma": d.code, "xac_thuc": factor})
        assert page.status_code in (400, 404)
        assert "Nguyễn Văn An" not in page.content.decode()
    assert client.get("/tra-cuu/", {"ma": "nope", "xac_thuc": "040090001234"}).status_code == 404


def test_guessing_is_rate_limited(client, province):
    d = dossier_in(province, Status.PROCESSING)
    codes = [
        client.get("/tra-cuu/", {"ma": d.code, "xac_thuc": f"04009000{n:04d}"}).status_code for n in range(25)
    ]
    assert codes[-1] == 429 and codes.count(429) == 5


def test_empty_form_is_a_plain_page(client, db):
    assert client.get("/tra-cuu/").status_code == 200


def test_a_paused_dossier_is_tracked_as_paused_not_overdue(client, province):
    d = dossier_in(province, Status.SUPPLEMENT_REQUESTED)  # paused on 02/03/2026, old appointment passed
    html = client.get("/tra-cuu/", {"ma": d.code, "xac_thuc": "040090001234"}).content.decode()
    assert "Tạm dừng tính thời hạn, chờ bổ sung từ 02/03/2026" in html
    assert "quá hạn" not in html
    assert localtime(d.appointment_at).strftime("%d/%m/%Y %H:%M") not in html


def test_an_overdue_dossier_is_tracked_as_overdue(client, province):
    d = dossier_in(province, Status.PROCESSING)
    html = client.get("/tra-cuu/", {"ma": d.code, "xac_thuc": "040090001234"}).content.decode()
    assert "Đang xử lý quá hạn" in html and "Tạm dừng" not in html


def test_a_code_typed_in_lower_case_or_with_spaces_is_found(client, province):
    d = dossier_in(province, Status.PROCESSING)
    typed = f"  {d.code.lower()} "
    assert typed.strip() != d.code
    page = client.get("/tra-cuu/", {"ma": typed, "xac_thuc": " 040 090 001 234 "})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nguyễn Văn An" in html and f'value="{d.code}"' in html
    assert client.get("/tra-cuu/", {"ma": d.code.lower(), "xac_thuc": "0912 345 678"}).status_code == 200


def test_normalised_attempts_still_count_against_the_address(client, province):
    d = dossier_in(province, Status.PROCESSING)
    codes = [
        client.get("/tra-cuu/", {"ma": f" {d.code.lower()}", "xac_thuc": f"04009000{n:04d}"}).status_code
        for n in range(21)
    ]
    assert codes[:20] == [404] * 20 and codes[20] == 429
    other_address = client.get(
        "/tra-cuu/", {"ma": d.code, "xac_thuc": "040090001234"}, REMOTE_ADDR="10.0.0.9"
    )
    assert other_address.status_code == 200
