"""API tokens: obtained with the password (and the officer's TOTP code), expiring, revocable."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from motcua.api import tokens
from motcua.api.models import ApiToken

URL = "/api/v1/auth/token"
DOSSIERS = "/api/v1/dossiers/"


def obtain(**body):
    return APIClient().post(URL, body, format="json")


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_citizen_obtains_a_token_that_expires_after_eight_hours(province):
    response = obtain(username="citizen", password="pw-citizen")
    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "Token"
    token = ApiToken.objects.get(user=province.citizen)
    assert token.key_hash != body["token"] and body["token"] not in token.key_hash  # only the hash is kept
    lifetime = token.expires_at - token.created_at
    assert timedelta(hours=8) - timedelta(seconds=5) < lifetime <= timedelta(hours=8)
    assert with_token(body["token"]).get(DOSSIERS).status_code == 200

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = with_token(body["token"]).get(DOSSIERS)
    assert expired.status_code == 401 and expired.json()["code"] == "authentication_failed"


def test_the_lifetime_is_configurable(province, settings):
    settings.MOTCUA_API_TOKEN_HOURS = 1
    token, _key = tokens.issue(user=province.citizen)
    assert token.expires_at - token.created_at <= timedelta(hours=1)


def test_wrong_password_gets_no_token(province):
    response = obtain(username="citizen", password="sai")
    assert response.status_code == 401 and response.json()["code"] == "invalid_credentials"
    assert not ApiToken.objects.exists()


def test_delete_revokes_the_token(province):
    key = obtain(username="citizen", password="pw-citizen").json()["token"]
    client = with_token(key)
    assert client.delete(URL).status_code == 204
    assert client.get(DOSSIERS).status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


@pytest.fixture
def otp_on(settings) -> None:
    settings.MOTCUA_OFFICER_OTP = True


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_an_officer_needs_the_second_factor(province, otp_on):
    assert obtain(username="counter", password="pw-counter").status_code == 403  # not enrolled yet
    device = TOTPDevice.objects.create(user=province.counter, name="app", confirmed=True)
    missing = obtain(username="counter", password="pw-counter")
    assert missing.status_code == 400 and "otp" in missing.json()["fields"]
    wrong = obtain(username="counter", password="pw-counter", otp="000000")
    assert wrong.status_code == 401 and wrong.json()["code"] == "invalid_otp"
    device.refresh_from_db()
    device.throttle_reset()
    response = obtain(username="counter", password="pw-counter", otp=code_of(device))
    assert response.status_code == 201
    assert with_token(response.json()["token"]).get(DOSSIERS).status_code == 200


def test_staff_list_and_revoke_tokens_in_the_admin(province):
    _token, key = tokens.issue(user=province.citizen)
    root = province.admin
    root.is_staff = root.is_superuser = True
    root.save(update_fields=["is_staff", "is_superuser"])
    admin = Client()
    admin.force_login(root)
    listing = admin.get("/admin/api/apitoken/")
    assert listing.status_code == 200 and key[:8] in listing.content.decode()
    admin.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [str(ApiToken.objects.get().pk)]},
    )
    assert with_token(key).get(DOSSIERS).status_code == 401


def test_the_endpoint_is_in_the_schema(db):
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert {"post", "delete"} <= set(schema["paths"]["/api/v1/auth/token"])
    assert "tokenAuth" in schema["components"]["securitySchemes"]
