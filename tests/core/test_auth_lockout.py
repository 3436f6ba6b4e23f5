"""Every login is throttled (django-axes): the sixth failure locks the name at that address, even against the
right password, until the cool-off ends; another address is not locked."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client

LOCKED = "Bạn đã đăng nhập sai quá 5 lần. Vì an toàn, vui lòng thử lại sau 10 phút."
STAFF_LOGIN = "/can-bo/dang-nhap/"


def fail_six_times(client: Client, url: str, username: str, **extra) -> list[int]:
    return [
        client.post(url, {"username": username, "password": "sai"}, **extra).status_code for _ in range(6)
    ]


def after_cool_off() -> None:
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=11))


def test_officer_login_is_locked_after_five_failures_even_with_the_right_password(province, client):
    assert fail_six_times(client, STAFF_LOGIN, "counter") == [200] * 5 + [429]
    right = client.post(STAFF_LOGIN, {"username": "counter", "password": "pw-counter"})
    assert right.status_code == 429
    assert LOCKED in right.content.decode()
    assert client.get("/can-bo/").status_code == 302  # not signed in

    after_cool_off()
    assert client.post(STAFF_LOGIN, {"username": "counter", "password": "pw-counter"}).status_code == 302
    assert client.get("/can-bo/").status_code == 200


def test_a_stranger_elsewhere_cannot_lock_an_officer_out(province, client):
    fail_six_times(Client(REMOTE_ADDR="203.0.113.7"), STAFF_LOGIN, "counter")
    response = client.post(STAFF_LOGIN, {"username": "counter", "password": "pw-counter"})
    assert response.status_code == 302


def test_citizen_login_is_locked_and_unlocks_after_the_cool_off(province, client):
    url = "/tai-khoan/dang-nhap/"
    assert fail_six_times(client, url, "citizen") == [400] * 5 + [429]
    right = client.post(url, {"username": "citizen", "password": "pw-citizen"})
    assert right.status_code == 429 and LOCKED in right.content.decode()
    after_cool_off()
    assert client.post(url, {"username": "citizen", "password": "pw-citizen"}).status_code == 302


def test_admin_login_is_locked(province, client):
    province.admin.is_staff = True
    province.admin.save(update_fields=["is_staff"])
    url = "/admin/login/?next=/admin/"
    assert fail_six_times(client, url, "center_admin")[-1] == 429
    right = client.post(url, {"username": "center_admin", "password": "pw-center_admin"})
    assert right.status_code == 429
    assert LOCKED in right.content.decode()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_api_token_login_is_locked(province, client, language):
    url = "/api/v1/auth/token"
    wrong = {"username": "citizen", "password": "sai"}
    codes = [client.post(url, wrong, content_type="application/json").status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]
    right = client.post(
        url,
        {"username": "citizen", "password": "pw-citizen"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert right.status_code == 429
    body = right.json()
    assert body["code"] == "login_locked" and body["message_vi"] == LOCKED
    assert "10 minutes" in body["message_en"]
