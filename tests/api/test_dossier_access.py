"""Who sees which dossier, authentication, and two officers acting at once."""

from rest_framework.test import APIClient

from motcua.api import tokens
from motcua.dossiers.models import Dossier, DossierEvent
from tests.api.conftest import DOSSIERS, act, client_for, create, create_body, ok


def test_stale_version_is_409_conflict_and_nothing_changes(province, processing):
    first = ok(act(client_for(province.specialist), processing, "complete-step", opinion="Đạt"))
    events = DossierEvent.objects.count()
    loser = act(client_for(province.leader), processing, "return-step", reason="Xem lại")
    assert loser.status_code == 409
    body = loser.json()
    assert body["code"] == "conflict"
    assert processing["code"] in body["message"]
    assert body["details"] == {"current_version": first["version"]}
    row = Dossier.objects.get(code=processing["code"])
    assert (row.version, row.current_step.name) == (first["version"], "Phê duyệt")
    assert DossierEvent.objects.count() == events


def test_officer_of_another_unit_gets_404_on_read_and_act(province, received):
    other = client_for(province.other_counter)
    read = other.get(f"{DOSSIERS}{received['code']}/")
    assert read.status_code == 404
    assert read.json()["code"] == "not_found"
    acted = act(other, received, "start-processing")
    assert acted.status_code == 404
    assert (
        acted.json() == read.json() | {"message": acted.json()["message"]}
        or acted.json()["code"] == "not_found"
    )
    assert Dossier.objects.get(code=received["code"]).status == 2
    assert other.get(DOSSIERS).json()["count"] == 0


def test_unknown_dossier_is_404(province):
    response = client_for(province.counter).get(f"{DOSSIERS}001.00.50.H40-260101-9999/")
    assert response.status_code == 404
    response = client_for(province.counter).post(
        f"{DOSSIERS}001.00.50.H40-260101-9999/accept", {"version": 1}, format="json"
    )
    assert response.status_code == 404


def test_visible_but_not_permitted_is_403(province, received):
    response = act(client_for(province.specialist), received, "start-processing")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_unauthenticated_is_401(province, received):
    anonymous = APIClient()
    for response in (
        anonymous.get(DOSSIERS),
        anonymous.get(f"{DOSSIERS}{received['code']}/"),
        act(anonymous, received, "start-processing"),
    ):
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"


def test_token_authentication(province, received):
    _token, key = tokens.issue(user=province.counter)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(f"{DOSSIERS}{received['code']}/").status_code == 200
    d = ok(act(client, received, "start-processing"))
    assert d["events"][-1]["actor"] == "counter"
    client.credentials(HTTP_AUTHORIZATION="Token wrong")
    response = client.get(DOSSIERS)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_list_is_scoped_and_filtered(province, received):
    counter = client_for(province.counter)
    online = ok(create(client_for(province.citizen), create_body(province, channel="online")), 201)
    assert counter.get(DOSSIERS).json()["count"] == 2
    assert [d["code"] for d in counter.get(DOSSIERS, {"status": 1}).json()["results"]] == [online["code"]]
    assert counter.get(DOSSIERS, {"status": [1, 2]}).json()["count"] == 2
    assert counter.get(DOSSIERS, {"procedure": "1.001193"}).json()["count"] == 2
    assert counter.get(DOSSIERS, {"procedure": "1.005136"}).json()["count"] == 0
    assert counter.get(DOSSIERS, {"q": received["code"][-4:]}).json()["count"] >= 1
    assert counter.get(DOSSIERS, {"status": "x"}).status_code == 400
    mine = client_for(province.citizen).get(DOSSIERS).json()
    assert [d["code"] for d in mine["results"]] == [online["code"]]
    assert client_for(province.other_citizen).get(DOSSIERS).json()["count"] == 0
    assert client_for(province.admin).get(DOSSIERS).json()["count"] == 2


def test_processing_unit_of_another_agency_sees_the_inter_agency_dossier(province):
    d = ok(create(client_for(province.counter), create_body(province, procedure=province.inter_agency)), 201)
    justice = client_for(province.justice_specialist)
    assert justice.get(f"{DOSSIERS}{d['code']}/").status_code == 200
    assert justice.get(f"{DOSSIERS}{d['code']}/").json()["allowed_acts"] == []
