"""Portal accounts and the e-data store: a typed ID number is only declared; registering a number held by
another account leads to one recovery page; the population database, VNeID (sandbox here) and a counter
officer verify an identity; a declared account downloads nothing from the store."""

import os
import subprocess
import sys
from datetime import date
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.admin.models import LogEntry

from motcua.core import identity
from motcua.core.models import User
from motcua.documents.connectors import DEFAULT_POPULATION_CONNECTOR
from motcua.documents.models import ComponentFile, DataStoreItem
from motcua.dossiers.models import Dossier
from motcua.intake.services import submit_online
from tests.documents.once_only import AN, OFFLINE, OnceOnly, an_has_a_store, counter_only, set_up_once_only
from tests.dossiers.helpers import at

REGISTER, RECOVER, VERIFY = "/tai-khoan/dang-ky/", "/tai-khoan/khoi-phuc/", "/tai-khoan/xac-thuc-danh-tinh/"
VNEID, SANDBOX = "/tai-khoan/vneid/", "/tai-khoan/vneid/sandbox/"
PASSWORD = "khó-đoán-2026"


@pytest.fixture
def once(province, settings, tmp_path) -> OnceOnly:
    """Mr An (AN) in the reference population register, with document types for the store."""
    settings.MEDIA_ROOT, settings.MOTCUA_PKI_DIR = tmp_path / "media", tmp_path / "pki"
    return set_up_once_only(province)


def registration(id_number: str, name: str, born: str, email: str = "x@example.vn") -> dict[str, str]:
    return {
        "kind": "citizen",
        "id_number": id_number,
        "full_name": name,
        "birth_date": born,
        "phone": "0911222333",
        "email": email,
        "password": PASSWORD,
        "password2": PASSWORD,
    }


STRANGER = registration(AN, "Lê Văn Mạo", "1985-01-01", "mao@example.vn")
REAL_AN = registration(AN, "Nguyễn Văn An", "1990-05-12", "an.that@example.vn")


def register_while_the_database_is_down(client, settings, data: dict[str, str]) -> User:
    settings.MOTCUA_POPULATION_CONNECTOR = OFFLINE
    assert client.post(REGISTER, data).status_code == 302
    settings.MOTCUA_POPULATION_CONNECTOR = DEFAULT_POPULATION_CONNECTOR
    client.post("/tai-khoan/dang-xuat/")
    return User.objects.get(username=data["id_number"])


def nationality_online(once: OnceOnly, user: User) -> Dossier:
    p = once.p
    intake = once.intake(p.nationality, p.center, without=[once.birth_certificate])
    return submit_online(intake=intake, acting_user=user, now=at(0))


def test_a_number_held_by_another_account_leads_to_one_recovery_page(client, province):
    other = registration("040199001111", "Trần Thị Bình", "1992-11-03")
    assert client.post(REGISTER, other).status_code == 302  # declared only (not in the database)
    client.post("/tai-khoan/dang-xuat/")
    users = User.objects.count()
    # AN is verified for province.citizen; 040199001111 is only declared: the same answer for both.
    answers = [client.post(REGISTER, data) for data in (STRANGER, other | {"email": "khac@example.vn"})]
    assert [(a.status_code, a["Location"], a.content) for a in answers] == [(302, RECOVER, b"")] * 2
    page = client.get(RECOVER).content.decode()
    assert "đã có tài khoản" not in page and "khôi phục" in page and "Bộ phận Một cửa" in page
    assert User.objects.count() == users and not client.session.get("_auth_user_id")


def test_a_stranger_gets_nothing_and_the_real_citizen_can_still_register(client, once, settings):
    counter_only(once)
    _scanned, result = an_has_a_store(once)
    stranger = register_while_the_database_is_down(client, settings, STRANGER)
    assert stranger.citizen_id == AN and stranger.identity_verified_at is None

    client.force_login(stranger)
    dossier = nationality_online(once, stranger)
    assert not dossier.reuses.exists()
    page = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "Tái sử dụng" not in page
    for attachment in ComponentFile.objects.filter(stored_file=result.stored_file):
        assert (
            client.get(
                f"/ho-so-cua-toi/{attachment.dossier_component.dossier.code}/tep/{attachment.pk}/"
            ).status_code
            == 404
        )
    client.post("/tai-khoan/dang-xuat/")

    # Mr An registers himself: the population database confirms him, the declared number is his again.
    response = client.post(REGISTER, REAL_AN)
    assert response.status_code == 302 and response["Location"] != RECOVER
    an = User.objects.get(username=AN)
    assert (an.email, an.identity_method, an.birth_date) == (
        "an.that@example.vn",
        "population_db",
        date(1990, 5, 12),
    )
    stranger.refresh_from_db()
    assert stranger.citizen_id == "" and stranger.username != AN and not hasattr(stranger, "profile")

    mine = nationality_online(once, an)
    reused = ComponentFile.objects.get(dossier_component__dossier=mine, kind="reused")
    assert reused.stored_file == result.stored_file
    assert client.get(f"/ho-so-cua-toi/{mine.code}/tep/{reused.pk}/").status_code == 200
    # The stranger, back at registration, is sent to recovery like anyone else.
    client.post("/tai-khoan/dang-xuat/")
    assert client.post(REGISTER, STRANGER | {"email": "lan2@example.vn"})["Location"] == RECOVER


def test_population_database_verification_refuses_a_wrong_date_of_birth(client, once, settings):
    counter_only(once)
    an = register_while_the_database_is_down(client, settings, REAL_AN)
    assert an.identity_verified_at is None
    client.force_login(an)
    page = client.get(VERIFY)
    assert page.status_code == 200 and "chỉ là thông tin bạn khai báo" in page.content.decode()
    wrong = client.post(VERIFY, {"birth_date": "1990-12-05"})
    assert wrong.status_code == 400
    assert "Cơ sở dữ liệu quốc gia về dân cư không xác nhận" in wrong.content.decode()
    an.refresh_from_db()
    assert (an.identity_verified_at, an.identity_method) == (None, "")
    assert not LogEntry.objects.filter(object_id=str(an.pk)).exists()

    assert client.post(VERIFY, {"birth_date": "12/05/1990"}).status_code == 302
    an.refresh_from_db()
    assert an.identity_method == "population_db" and an.identity_verified_at is not None
    assert "đã được xác thực" in client.get(VERIFY).content.decode()


def test_the_vneid_sandbox_is_404_with_debug_off_unless_enabled(client, province, settings):
    settings.DEBUG, settings.MOTCUA_VNEID_SANDBOX = False, False
    assert client.get(SANDBOX).status_code == 404
    assert client.post(VNEID).status_code == 404
    assert client.get("/tai-khoan/vneid/callback/sandbox/").status_code == 404
    assert "VNeID" not in client.get("/tai-khoan/dang-nhap/").content.decode()
    settings.MOTCUA_VNEID_SANDBOX = True
    assert client.get(SANDBOX).status_code == 200
    assert "VNeID" in client.get("/tai-khoan/dang-nhap/").content.decode()


# A production start: the settings and every app's ready() (which warns), then the setting's value.
STARTUP = (
    "import django; django.setup(); from django.conf import settings; print(settings.MOTCUA_VNEID_SANDBOX)"
)


def test_the_sandbox_setting_is_off_in_production_and_loud_when_switched_on(caplog, settings):
    def start(**env: str) -> subprocess.CompletedProcess:
        code = STARTUP
        environ = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "MOTCUA_VNEID_SANDBOX"}}
        environ |= {
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
            "SECRET_KEY": "x" * 50,
            "EMAIL_BACKEND": "none",
        }
        return subprocess.run(
            [sys.executable, "-c", code], env=environ | env, capture_output=True, text=True, timeout=120
        )

    off = start(DEBUG="0")
    assert off.stdout.strip() == "False" and "SANDBOX" not in off.stderr
    on = start(DEBUG="0", MOTCUA_VNEID_SANDBOX="1")
    assert on.stdout.strip() == "True" and "VNeID SANDBOX is ON" in on.stderr
    settings.DEBUG, settings.MOTCUA_VNEID_SANDBOX = False, True
    assert identity.warn_if_sandbox_in_production() and "VNeID SANDBOX is ON" in caplog.text
    settings.DEBUG = True
    assert not identity.warn_if_sandbox_in_production()


def vneid(client, person: dict[str, str], *, tamper: bool = False):
    """Sign in through the sandbox VNeID: start, the provider's page, the callback."""
    start = client.post(VNEID)
    assert start.status_code == 302 and start["Location"].startswith(SANDBOX)
    page = client.post(start["Location"], person)
    assert page.status_code == 302
    callback = page["Location"]
    if tamper:
        query = parse_qs(urlparse(callback).query)
        callback = callback.replace(f"id={query['id'][0]}", "id=040090009999")
    return client.get(callback)


AN_VNEID = {"citizen_id": AN, "full_name": "Nguyễn Văn An", "birth_date": "1990-05-12", "level": "2"}


def test_vneid_verifies_the_signed_in_account(client, once, settings):
    counter_only(once)
    an = register_while_the_database_is_down(client, settings, REAL_AN)
    client.force_login(an)
    assert vneid(client, AN_VNEID | {"level": "1"}).status_code == 400  # level 1 is not enough
    assert vneid(client, AN_VNEID, tamper=True).status_code == 400  # a forged answer changes nothing
    assert vneid(client, AN_VNEID | {"citizen_id": "040090009999"}).status_code == 400  # someone else
    an.refresh_from_db()
    assert an.identity_verified_at is None
    done = vneid(client, AN_VNEID)
    assert done.status_code == 302 and done["Location"] == VERIFY
    an.refresh_from_db()
    assert an.identity_method == "vneid" and an.identity_verified_at is not None


def test_vneid_signs_in_the_verified_account_and_takes_a_declared_number_back(client, once, settings):
    p = once.p
    assert vneid(client, AN_VNEID)["Location"] == "/ho-so-cua-toi/"
    assert int(client.session["_auth_user_id"]) == p.citizen.pk  # recovered: the verified account
    client.post("/tai-khoan/dang-xuat/")

    squatter = register_while_the_database_is_down(
        client, settings, registration("040190004321", "Kẻ Lạ", "1980-01-01")
    )
    binh = {
        "citizen_id": "040190004321",
        "full_name": "Trần Thị Bình",
        "birth_date": "1992-11-03",
        "level": "2",
    }
    assert vneid(client, binh).status_code == 302
    account = User.objects.get(pk=client.session["_auth_user_id"])
    assert (account.username, account.identity_method, account.has_usable_password()) == (
        "040190004321",
        "vneid",
        False,
    )
    squatter.refresh_from_db()
    assert squatter.citizen_id == "" and squatter.username != "040190004321"


def test_a_counter_officer_verifies_the_account_holder_at_the_counter(client, once, settings):
    counter_only(once)
    an = register_while_the_database_is_down(client, settings, REAL_AN)
    p = once.p
    client.force_login(p.specialist)
    assert client.get(f"/can-bo/xac-thuc-danh-tinh/?q={AN}").status_code == 403
    client.force_login(p.center_counter)
    found = client.get(f"/can-bo/xac-thuc-danh-tinh/?q={AN}")
    assert found.status_code == 200 and "Chưa xác thực" in found.content.decode()
    url = f"/can-bo/xac-thuc-danh-tinh/{an.pk}/"
    unchecked = client.post(url, {"q": AN, "card_number": AN})
    wrong = client.post(url, {"q": AN, "card_number": "040090009999", "card_checked": "on"})
    assert (unchecked.status_code, wrong.status_code) == (400, 400)
    assert "không khớp" in wrong.content.decode()
    an.refresh_from_db()
    assert an.identity_verified_at is None
    assert client.post(url, {"q": AN, "card_number": AN, "card_checked": "on"}).status_code == 302
    an.refresh_from_db()
    assert (an.identity_method, an.identity_verified_by) == ("counter", p.center_counter)
    assert LogEntry.objects.get(object_id=str(an.pk)).user == p.center_counter

    # Now his online dossier reuses his e-result.
    an_has_a_store(once)
    assert nationality_online(once, an).reuses.count() == 1
    assert DataStoreItem.objects.filter(owner_id_number=AN, source="result").exists()
