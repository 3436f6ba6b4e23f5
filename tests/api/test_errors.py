"""One error body everywhere: code, message (request language), message_vi, message_en, fields."""

from django.utils import translation
from django.utils.translation import gettext_lazy
from rest_framework.test import APIClient

from motcua.api.errors import error_body, flatten
from tests.api.conftest import DOSSIERS, act, client_for, create, create_body

KEYS = {"code", "message", "message_vi", "message_en"}


def test_every_error_has_the_same_shape(province, received):
    counter = client_for(province.counter)
    responses = [
        APIClient().get(DOSSIERS),  # 401
        client_for(province.specialist).post(
            f"{DOSSIERS}{received['code']}/start-processing", {"version": 1}, format="json"
        ),  # 403
        counter.get(f"{DOSSIERS}nope/"),  # 404
        act(counter, received, "accept"),  # 409
        create(counter, create_body(province, id_number="1")),  # 400
        counter.put(DOSSIERS, {}, format="json"),  # 405
    ]
    assert [r.status_code for r in responses] == [401, 403, 404, 409, 400, 405]
    for response in responses:
        body = response.json()
        assert set(body) >= KEYS, body
        assert body["message"] == body["message_vi"]
        assert all(isinstance(body[k], str) and body[k] for k in KEYS)


def test_accept_language_en_picks_the_english_message(province, received):
    response = client_for(province.counter).post(
        f"{DOSSIERS}{received['code']}/accept", {"version": 2}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["message"] == body["message_en"]
    missing = client_for(province.counter).post(
        f"{DOSSIERS}{received['code']}/withdraw", {}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    body = missing.json()
    assert body["message"] == body["message_en"]
    assert body["fields"]["version"] == "This field is required."
    assert body["field_codes"] == {"version": "required", "reason": "required"}  # the same in every language


def test_vietnamese_field_messages_by_default(province, received):
    body = (
        client_for(province.counter).post(f"{DOSSIERS}{received['code']}/withdraw", {}, format="json").json()
    )
    assert body["code"] == "validation_failed"
    assert body["message"] == "Dữ liệu gửi lên chưa hợp lệ."
    assert body["fields"]["version"] != "This field is required."


def test_error_body_renders_a_lazy_message_in_both_languages():
    with translation.override("en"):
        body = error_body("x", gettext_lazy("This field is required."))
    assert body["message_en"] == "This field is required."
    assert body["message_vi"] != body["message_en"]
    assert body["message"] == body["message_en"]


def test_flatten_nested_errors():
    detail = {"applicant": {"id_number": ["a", "b"]}, "components": {0: ["bad"]}, "x": "y"}
    assert flatten(detail) == {"applicant.id_number": "a b", "components.0": "bad", "x": "y"}
    assert flatten([{"a": ["m"]}, {}]) == {"0.a": "m"}
    assert flatten(["whole"]) == {"non_field_errors": "whole"}


def test_form_encoded_body_is_415(province):
    response = client_for(province.counter).post(
        DOSSIERS, {"procedure": "1.001193"}, HTTP_IDEMPOTENCY_KEY="f"
    )
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
