import re

from django.utils import timezone
from rest_framework.test import APIClient

from motcua.dossiers.models import Dossier, DossierEvent
from tests.api.conftest import DOSSIERS, client_for, create, create_body, ok


def counts() -> tuple[int, int]:
    return Dossier.objects.count(), DossierEvent.objects.count()


def test_online_submission_by_a_citizen_awaits_reception(province):
    body = ok(create(client_for(province.citizen), create_body(province, channel="online")), 201)
    assert body["status"] == 1
    assert body["channel"] == "online"
    assert body["appointment_at"] is None
    assert body["timeliness"] is None
    assert body["applicant"]["id_number"] == "040090001234"
    # The counter accepts it; the applicant may only withdraw it (#13 item 5).
    assert [a["act"] for a in body["allowed_acts"]] == ["withdraw"]
    assert Dossier.objects.get(code=body["code"]).applicant_user == province.citizen


def test_counter_reception_is_accepted_coded_and_given_an_appointment(province):
    body = ok(create(client_for(province.counter), create_body(province)), 201)
    assert body["status"] == 2
    assert body["status_label"] == "Đã tiếp nhận"
    today = timezone.localtime().strftime("%y%m%d")
    assert re.fullmatch(rf"001\.00\.50\.H40-{today}-\d{{4}}", body["code"])
    assert body["appointment_at"] is not None
    assert body["original_appointment_at"] == body["appointment_at"]
    assert body["receiving_unit"] == {"code": "001.00.50.H40", "name": "Phường Thành Vinh"}
    assert [s["name"] for s in body["steps"]] == ["Thẩm định", "Phê duyệt"]
    assert [(e["act"], e["from_status"], e["to_status"], e["actor"]) for e in body["events"]] == [
        ("receive", None, 2, "counter")
    ]
    # Not the apology letter: with three working days left the dossier is not at risk (`access.may`).
    assert {a["act"] for a in body["allowed_acts"]} == {
        "start-processing",
        "withdraw",
        "record-payment",
    }
    assert body["timeliness"] == "in_time"


def test_post_channel_is_received_too(province):
    body = ok(create(client_for(province.counter), create_body(province, channel="post")), 201)
    assert (body["channel"], body["status"]) == ("post", 2)


def test_same_key_same_body_replays_the_first_response(province):
    client, payload = client_for(province.counter), create_body(province)
    first = create(client, payload, key="retry-1")
    second = create(client, payload, key="retry-1")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Dossier.objects.count() == 1


def test_the_key_belongs_to_its_user(province):
    first = create(client_for(province.counter), create_body(province), key="k")
    other = create(client_for(province.leader), create_body(province), key="k")
    assert first.status_code == 201
    assert other.status_code == 403  # the leader is not a counter officer: a fresh request, not a replay


def test_same_key_other_body_is_422(province):
    client = client_for(province.counter)
    ok(create(client, create_body(province), key="once"), 201)
    response = create(client, create_body(province, name="Trần Thị Bình"), key="once")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Dossier.objects.count() == 1


def test_concurrent_duplicate_replays_after_the_unique_constraint(province, monkeypatch):
    """The second request missed the first's key at lookup; its insert fails and it replays."""
    from motcua.api import idempotency

    client, payload = client_for(province.counter), create_body(province)
    first = ok(create(client, payload, key="race"), 201)
    monkeypatch.setattr(idempotency, "_stored", _missing_once(idempotency._stored))
    second = create(client, payload, key="race")
    assert second.status_code == 201
    assert second.json() == first
    assert Dossier.objects.count() == 1


def _missing_once(lookup):
    calls = []

    def stored(request, key):
        calls.append(key)
        return None if len(calls) == 1 else lookup(request, key)

    return stored


def test_missing_or_overlong_key_is_400(province):
    client = client_for(province.counter)
    response = client.post(DOSSIERS, create_body(province), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_required"
    assert "Idempotency-Key" in response.json()["message"]
    assert create(client, create_body(province), key="x" * 101).status_code == 400
    assert Dossier.objects.count() == 0


def test_invalid_citizen_id_is_400_with_fields_and_nothing_created(province):
    before = counts()
    response = create(client_for(province.counter), create_body(province, id_number="04009000123"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_failed"
    assert "12" in body["fields"]["applicant.id_number"]
    assert counts() == before


def test_a_failed_request_does_not_burn_its_key(province):
    client = client_for(province.counter)
    assert create(client, create_body(province, id_number="1"), key="k1").status_code == 400
    assert create(client, create_body(province), key="k1").status_code == 201


def test_unknown_procedure_and_unit_are_400_with_fields(province):
    payload = create_body(province) | {"procedure": "9.999999", "receiving_unit": "999.99.99.H40"}
    response = create(client_for(province.counter), payload)
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"procedure", "receiving_unit"}
    assert "9.999999" in response.json()["fields"]["procedure"]


def test_wrong_types_and_malformed_json_are_400(province):
    client = client_for(province.counter)
    bad = create_body(province) | {"components": "all", "applicant": "me", "channel": "fax"}
    response = create(client, bad)
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"components", "applicant.non_field_errors", "channel"}
    malformed = client.post(
        DOSSIERS, data="{not json", content_type="application/json", HTTP_IDEMPOTENCY_KEY="m"
    )
    assert malformed.status_code == 400
    assert malformed.json()["code"] == "parse_error"
    assert create(client, ["a", "list"]).status_code == 400
    assert Dossier.objects.count() == 0


def test_counter_officer_of_another_commune_cannot_receive_here(province):
    before = counts()
    response = create(client_for(province.other_counter), create_body(province))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert counts() == before


def test_anonymous_cannot_create(province):
    response = create(APIClient(), create_body(province))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
