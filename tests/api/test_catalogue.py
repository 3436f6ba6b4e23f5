from rest_framework.test import APIClient

from motcua.catalog.models import Fee

PROCEDURES = "/api/v1/procedures/"


def test_list_is_public_and_paginated(province):
    response = APIClient().get(PROCEDURES)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    codes = {p["code"] for p in body["results"]}
    assert codes == {"1.001193", "1.013978", "1.005136"}
    birth = next(p for p in body["results"] if p["code"] == "1.001193")
    assert birth["time_limit"] == {"amount": 3.0, "unit": "working_days", "note": "", "is_demo_choice": False}
    assert birth["level"] == "commune"


def test_filter_by_level_field_and_search(province):
    client = APIClient()
    assert [p["code"] for p in client.get(PROCEDURES, {"level": "province"}).json()["results"]] == [
        "1.005136"
    ]
    assert client.get(PROCEDURES, {"field": "hộ tịch"}).json()["count"] == 3
    assert client.get(PROCEDURES, {"field": "Đất đai"}).json()["count"] == 0
    assert [p["code"] for p in client.get(PROCEDURES, {"q": "013978"}).json()["results"]] == ["1.013978"]
    assert client.get(PROCEDURES, {"q": "Thủ tục 1.005"}).json()["count"] == 1


def test_bad_level_is_a_400_with_fields(province):
    response = APIClient().get(PROCEDURES, {"level": "district"})
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"
    assert "level" in response.json()["fields"]


def test_unpublished_procedures_are_not_listed(province):
    province.nationality.is_published = False
    province.nationality.save()
    assert APIClient().get(PROCEDURES).json()["count"] == 2
    assert APIClient().get(f"{PROCEDURES}1.005136/").status_code == 404


def test_detail_has_components_fees_time_limit_and_steps(province):
    Fee.objects.create(procedure=province.birth, position=2, name="Phí cấp bản sao", amount_vnd=None)
    response = APIClient().get(f"{PROCEDURES}1.001193/")
    assert response.status_code == 200
    body = response.json()
    assert body["online_level"] == "partial"
    assert [
        (c["position"], c["name"], c["form"], c["count"], c["is_mandatory"]) for c in body["components"]
    ] == [
        (1, "Tờ khai", "original", 1, True),
        (2, "Giấy ủy quyền (nếu có)", "copy", 1, False),
    ]
    assert all(isinstance(c["id"], int) for c in body["components"])
    assert [(f["name"], f["amount_vnd"]) for f in body["fees"]] == [
        ("Lệ phí", 10000),
        ("Phí cấp bản sao", None),
    ]
    assert body["time_limit"]["amount"] == 3.0
    assert [(s["position"], s["name"], s["is_approval"]) for s in body["steps"]] == [
        (1, "Thẩm định", False),
        (2, "Phê duyệt", True),
    ]
    assert body["responsible_unit"] is None


def test_detail_with_fixed_step_units(province):
    body = APIClient().get(f"{PROCEDURES}1.005136/").json()
    assert body["responsible_unit"] == {"code": "000.00.12.H40", "name": "Sở Tư pháp"}
    assert body["steps"][0]["unit"] == {"code": "000.00.12.H40", "name": "Sở Tư pháp"}


def test_unknown_procedure_is_404_json(province):
    response = APIClient().get(f"{PROCEDURES}9.999999/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
