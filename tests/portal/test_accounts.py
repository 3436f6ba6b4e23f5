"""Registration of citizens and businesses; login with rate limiting."""

import pytest

from motcua.core.models import User
from motcua.portal.models import Profile

GOOD = {
    "kind": "citizen",
    "id_number": "040199001111",
    "full_name": "Trần Thị Bình",
    "phone": "0911222333",
    "email": "binh@example.vn",
    "birth_date": "1992-11-03",
    "password": "khó-đoán-2026",
    "password2": "khó-đoán-2026",
}


def test_citizen_registers_and_is_signed_in(client, db):
    response = client.post("/tai-khoan/dang-ky/", GOOD)
    assert response.status_code == 302
    user = User.objects.get(username="040199001111")
    assert (user.role, user.citizen_id, user.last_name, user.first_name) == (
        "citizen",
        "040199001111",
        "Trần Thị",
        "Bình",
    )
    assert user.profile.kind == "citizen"
    assert client.get("/ho-so-cua-toi/").status_code == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id_number": "04019900111"}, "12 chữ số"),
        ({"id_number": "04019900111x"}, "12 chữ số"),
        ({"phone": "abc"}, "Số điện thoại"),
        ({"password2": "khác"}, "không khớp"),
        ({"password": "123", "password2": "123"}, "Mật khẩu"),
    ],
)
def test_bad_registration_saves_nothing(client, db, change, message):
    response = client.post("/tai-khoan/dang-ky/", GOOD | change)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.exists() and not Profile.objects.exists()


def test_id_number_is_unique(client, db):
    # A second registration never says "already exists" (that tells who has an account): it goes to the
    # recovery page (tests/portal/test_identity.py).
    assert client.post("/tai-khoan/dang-ky/", GOOD).status_code == 302
    client.post("/tai-khoan/dang-xuat/")
    again = client.post("/tai-khoan/dang-ky/", GOOD | {"email": "khac@example.vn"})
    assert again.status_code == 302 and again["Location"] == "/tai-khoan/khoi-phuc/"
    assert "đã có tài khoản" not in client.get(again["Location"]).content.decode()
    assert User.objects.count() == 1


def test_business_registers_with_tax_code(client, db):
    data = GOOD | {
        "kind": "business",
        "id_number": "2900123456",
        "organisation_name": "Công ty TNHH Sen Vàng",
    }
    assert client.post("/tai-khoan/dang-ky/", data).status_code == 302
    user = User.objects.get(username="2900123456")
    assert user.citizen_id == "" and user.profile.id_number == "2900123456"
    assert user.profile.organisation_name == "Công ty TNHH Sen Vàng"
    bad = client.post("/tai-khoan/dang-ky/", data | {"id_number": "29001"})
    assert bad.status_code == 400 and "Mã số thuế" in bad.content.decode()


def test_login_is_rate_limited_per_name_and_address(client, db):
    client.post("/tai-khoan/dang-ky/", GOOD)
    client.post("/tai-khoan/dang-xuat/")
    wrong = {"username": "040199001111", "password": "sai"}
    codes = [client.post("/tai-khoan/dang-nhap/", wrong).status_code for _ in range(6)]
    assert codes == [400] * 5 + [429]
    blocked = client.post("/tai-khoan/dang-nhap/", {"username": "040199001111", "password": GOOD["password"]})
    assert blocked.status_code == 429
    assert "thử lại sau 10 phút" in blocked.content.decode()
    # Another address is not blocked.
    other = client.post(
        "/tai-khoan/dang-nhap/",
        {"username": "040199001111", "password": GOOD["password"]},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_officers_sign_in_at_the_back_office(client, province):
    response = client.post("/tai-khoan/dang-nhap/", {"username": "counter", "password": "pw-counter"})
    assert response.status_code == 400 and "trang dành cho cán bộ" in response.content.decode()
