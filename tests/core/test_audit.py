"""The audit log: sign-ins, refusals, role changes and e-results, by ids only."""

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Group

from motcua.core.audit import axes_client_str, username_digest
from motcua.core.errors import PermissionDenied
from motcua.core.roles import Role
from motcua.documents import services as documents
from motcua.dossiers import services
from motcua.dossiers.states import Status
from tests.api.conftest import act, client_for, create, create_body, ok
from tests.core.json_logs import JsonLines, captured_json_logs
from tests.dossiers.helpers import at, dossier_in
from tests.factories import make_user

LOGIN = "/can-bo/dang-nhap/"


@pytest.fixture
def json_logs() -> Iterator[JsonLines]:
    with captured_json_logs() as lines:
        yield lines


def audit(lines: JsonLines, event: str) -> list[dict]:
    return lines.of("motcua.audit", event)


def test_a_login_and_a_logout_name_the_account_its_address_and_the_request(client, province, json_logs):
    response = client.post(LOGIN, {"username": "counter", "password": "pw-counter"}, REMOTE_ADDR="192.0.2.4")
    assert response.status_code == 302
    (login,) = audit(json_logs, "login")
    assert login["user_id"] == province.counter.pk and login["client_ip"] == "192.0.2.4"
    assert login["request_id"] == response["X-Request-ID"] and login["audit"] is True
    client.post("/can-bo/dang-xuat/")
    (logout,) = audit(json_logs, "logout")
    assert logout["user_id"] == province.counter.pk


def test_a_failed_login_names_neither_the_typed_name_nor_the_password(client, province, json_logs):
    client.post(LOGIN, {"username": "040090001234", "password": "Bi-mat-2026"})
    (failed,) = audit(json_logs, "login_failed")
    assert failed["user_id"] is None and failed["client_ip"] == "127.0.0.1"
    assert failed["username_digest"] == username_digest("040090001234") != username_digest("040090001235")
    assert "040090001234" not in json_logs.text and "Bi-mat-2026" not in json_logs.text
    assert any(r["logger"].startswith("axes") for r in json_logs.records)  # django-axes' lines too


def test_the_axes_client_string_carries_a_digest_not_the_name():
    text = axes_client_str("040090001234", "192.0.2.4", "Firefox", ("/can-bo/dang-nhap/",), None)
    assert "040090001234" not in text and username_digest("040090001234") in text
    assert "/can-bo/dang-nhap/" in text and "Firefox" not in text


def test_a_page_refused_for_lack_of_right_is_audited_once(client, province, json_logs):
    client.force_login(province.citizen)
    response = client.get("/can-bo/")
    assert response.status_code == 403
    (denied,) = audit(json_logs, "denied")
    assert denied["what"] == "GET can-bo/" and denied["user_id"] == province.citizen.pk
    assert denied["request_id"] == response["X-Request-ID"]


def test_the_act_guard_names_the_act_and_the_dossier_once(province, json_logs):
    received = ok(create(client_for(province.counter), create_body(province)), 201)
    assert act(client_for(province.specialist), received, "start-processing").status_code == 403
    (denied,) = audit(json_logs, "denied")  # not a second time by the 403 it became
    assert denied["what"] == "act:start_processing" and denied["user_id"] == province.specialist.pk
    assert isinstance(denied["dossier_id"], int)


def test_a_refusal_outside_a_request_is_audited_without_an_address(province, json_logs):
    dossier = province.receive(now=at(0))
    with pytest.raises(PermissionDenied):
        services.start_processing(dossier=dossier, acting_user=province.other_counter, now=at(1))
    (denied,) = audit(json_logs, "denied")
    assert denied["dossier_id"] == dossier.pk and denied["user_id"] == province.other_counter.pk
    assert denied["client_ip"] is None


def test_role_changes_are_audited_and_other_saves_are_not(province, json_logs):
    officer = province.specialist
    officer.role = Role.UNIT_LEADER
    officer.save()
    officer.first_name = "Bình"
    officer.save()
    officer.save(update_fields=["last_login"])
    make_user("new_citizen", Role.CITIZEN)
    newcomer = make_user("new_officer", Role.COUNTER_OFFICER, province.commune)
    newcomer.groups.add(Group.objects.create(name="Quản trị"))
    changes = [(r["subject_user_id"], r["changes"]) for r in audit(json_logs, "role_changed")]
    assert changes[0] == (officer.pk, {"role": ["specialist", "unit_leader"]})
    assert changes[1][0] == newcomer.pk and changes[1][1]["role"] == [None, "counter_officer"]
    assert changes[2][0] == newcomer.pk and list(changes[2][1]) == ["groups"]
    assert len(changes) == 3 and "Bình" not in json_logs.text
    assert {r["user_id"] for r in audit(json_logs, "role_changed")} == {None}  # no request: no actor


def test_an_issued_e_result_is_audited_with_its_dossier_not_its_applicant(
    province, settings, tmp_path, django_capture_on_commit_callbacks, json_logs
):
    settings.MEDIA_ROOT, settings.MOTCUA_PKI_DIR = tmp_path / "media", tmp_path / "pki"
    dossier = dossier_in(province, Status.RETURNED)
    with django_capture_on_commit_callbacks(execute=True):
        documents.issue_electronic_result(dossier=dossier, acting_user=province.leader)
    (issued,) = audit(json_logs, "e_result_issued")
    assert issued["dossier_id"] == dossier.pk and issued["user_id"] == province.leader.pk
    assert "Nguyễn Văn An" not in json_logs.text and "040090001234" not in json_logs.text
