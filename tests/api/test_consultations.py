"""Consultations through the API: POST /api/v1/dossiers/{code}/consult and /answer-consultation, and the
dossier's `consultations` list."""

from motcua.dossiers.models import Consultation
from tests.api.conftest import DOSSIERS, act, client_for, ok

QUESTION = "Đề nghị Sở cho ý kiến về giấy tờ do nước ngoài cấp."


def test_asking_and_answering_through_the_api(province, processing):
    p = province
    specialist, department = client_for(p.specialist), client_for(p.justice_specialist)
    seen = ok(specialist.get(f"{DOSSIERS}{processing['code']}/"))
    assert "consult" in {a["act"] for a in seen["allowed_acts"]}
    d = ok(
        act(specialist, seen, "consult", consulted_units=[p.justice.code], content=QUESTION, working_days=3)
    )
    assert d["status"] == 4 and d["version"] == seen["version"] + 1
    [asked] = d["consultations"]
    assert (asked["consulted_unit"]["code"], asked["asking_unit"]["code"]) == (p.justice.code, p.commune.code)
    assert (asked["content"], asked["working_days"], asked["answer_state"], asked["asked_by"]) == (
        QUESTION,
        3,
        "waiting",
        "specialist",
    )
    assert d["events"][-1]["act"] == "consult"
    assert d["events"][-1]["data"]["consultation"] == asked["id"]

    theirs = ok(department.get(f"{DOSSIERS}{d['code']}/"))  # the department now sees the dossier
    assert "answer-consultation" in {a["act"] for a in theirs["allowed_acts"]}
    d = ok(act(department, theirs, "answer-consultation", consultation_id=asked["id"], answer="Hợp lệ."))
    [answered] = d["consultations"]
    assert (answered["answer"], answered["answered_by"], answered["answer_state"]) == (
        "Hợp lệ.",
        "justice_specialist",
        "answered",
    )
    assert "answer-consultation" not in {a["act"] for a in d["allowed_acts"]}


def test_bad_input_answers_400_with_the_fields_and_saves_nothing(province, processing):
    p = province
    specialist = client_for(p.specialist)
    seen = ok(specialist.get(f"{DOSSIERS}{processing['code']}/"))
    response = act(
        specialist, seen, "consult", consulted_units=["999.99.99.H40"], content="x", working_days=3
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["consulted_units.0"]
    response = act(
        specialist, seen, "consult", consulted_units=[p.justice.code], content=" ", working_days=45
    )
    assert response.status_code == 400
    assert response.json()["field_codes"] == {"content": "required", "working_days": "out_of_range"}
    response = act(specialist, seen, "consult", consulted_units=[p.commune.code], content="x", working_days=2)
    assert response.status_code == 400
    assert response.json()["field_codes"] == {"consulted_units": "own_unit"}
    assert not Consultation.objects.exists()


def test_a_counter_officer_may_not_consult_and_a_stale_version_conflicts(province, processing):
    p = province
    response = act(
        client_for(p.counter),
        processing,
        "consult",
        consulted_units=[p.justice.code],
        content="x",
        working_days=2,
    )
    assert response.status_code == 403
    specialist = client_for(p.specialist)
    seen = ok(specialist.get(f"{DOSSIERS}{processing['code']}/"))
    ok(act(specialist, seen, "consult", consulted_units=[p.justice.code], content="x", working_days=2))
    stale = act(
        specialist, seen, "consult", consulted_units=[p.other_commune.code], content="y", working_days=2
    )
    assert stale.status_code == 409
    assert Consultation.objects.count() == 1


def test_another_unit_may_not_answer(province, processing):
    p = province
    specialist = client_for(p.specialist)
    seen = ok(specialist.get(f"{DOSSIERS}{processing['code']}/"))
    d = ok(act(specialist, seen, "consult", consulted_units=[p.justice.code], content="x", working_days=2))
    asked = d["consultations"][0]["id"]
    response = act(client_for(p.leader), d, "answer-consultation", consultation_id=asked, answer="Đồng ý.")
    assert response.status_code == 403
    assert Consultation.objects.get(pk=asked).answered_at is None
