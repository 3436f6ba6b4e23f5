"""Officers and staff give a TOTP code after their password; until then no work page, no admin, no API."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

STAFF_LOGIN = "/can-bo/dang-nhap/"
VERIFY = "/can-bo/xac-thuc-hai-buoc/"
ENROL = "/can-bo/xac-thuc-hai-buoc/dang-ky/"


@pytest.fixture(autouse=True)
def _second_factor_on(settings) -> None:
    settings.MOTCUA_OFFICER_OTP = True


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def password_login(username: str) -> Client:
    client = Client()
    response = client.post(STAFF_LOGIN, {"username": username, "password": f"pw-{username}"})
    assert response.status_code == 302
    return client


def test_an_officer_without_a_device_reaches_no_work_page_until_enrolled(province):
    client = password_login("counter")
    for url in ("/can-bo/", "/can-bo/tiep-nhan/", "/chat-luong/", "/xep-hang/quay/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(STAFF_LOGIN), url
    assert client.get("/api/v1/dossiers/").status_code == 401
    # The login page sends a password-only session on to the second factor, which asks to enrol.
    step = client.get(f"{STAFF_LOGIN}?next=/can-bo/tiep-nhan/")
    assert step.status_code == 302 and step["Location"].startswith(VERIFY)
    enrol = client.get(step["Location"], follow=True)
    assert enrol.redirect_chain[-1][0].startswith(ENROL)
    page = enrol.content.decode()
    assert "Đăng ký xác thực hai bước" in page and "<svg" in page

    device = TOTPDevice.objects.get(user=province.counter, confirmed=False)
    wrong = client.post(ENROL, {"code": "000000", "next": "/can-bo/tiep-nhan/"})
    assert wrong.status_code == 400 and "không đúng" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait a second
    done = client.post(ENROL, {"code": code_of(device), "next": "/can-bo/tiep-nhan/"})
    assert done.status_code == 302 and done["Location"] == "/can-bo/tiep-nhan/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/can-bo/tiep-nhan/").status_code == 200
    assert client.session.get_expiry_age() == 9 * 3600  # a working day


def test_an_enrolled_officer_gives_the_code_after_the_password(province):
    device = TOTPDevice.objects.create(user=province.specialist, name="app", confirmed=True)
    client = password_login("specialist")
    assert client.get("/can-bo/").status_code == 302
    assert client.get(ENROL)["Location"].startswith(VERIFY)  # enrolled: no second device
    response = client.post(VERIFY, {"code": code_of(device), "next": "/can-bo/"})
    assert response.status_code == 302 and response["Location"] == "/can-bo/"
    assert client.get("/can-bo/").status_code == 200
    assert client.session.get_expiry_age() == 9 * 3600


def test_the_admin_site_asks_staff_for_the_second_factor(province):
    admin = province.admin
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    client = Client()
    client.force_login(admin)  # a session with the password only
    assert client.get("/admin/").status_code == 302
    login = client.get("/admin/login/")
    assert 'name="otp_token"' in login.content.decode()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "center_admin", "password": "pw-center_admin", "otp_token": code_of(device)},
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_citizens_have_no_second_factor(province):
    client = Client()
    response = client.post("/tai-khoan/dang-nhap/", {"username": "citizen", "password": "pw-citizen"})
    assert response.status_code == 302
    assert client.get("/ho-so-cua-toi/").status_code == 200
    assert client.session.get_expiry_age() > 9 * 3600
