"""Hostile input is refused with a clear 400, in the user's language, and stores nothing: NUL bytes
anywhere in a request, out-of-range paging, JSON nested too deep. Run on PostgreSQL too, where a NUL
reaching a query used to fail with a 500 (`scripts/with-postgres .venv/bin/pytest tests/core`)."""

from uuid import uuid4

import pytest
from django.test import Client
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from motcua.api.pagination import MAX_LIMIT, LimitOffsetPagination
from motcua.api.parsers import MAX_DEPTH
from motcua.dossiers.models import Dossier
from motcua.queueing.models import Ticket
from tests.api.conftest import DOSSIERS, client_for, create, create_body

pytestmark = pytest.mark.django_db

NUL_MESSAGE_VI = "Yêu cầu chứa ký tự không hợp lệ (ký tự NUL)"


def pages_with_nul(p) -> list[tuple[str, str, dict]]:
    """(method, url, form) of public pages and API endpoints, each given a NUL somewhere."""
    unit = p.commune.code
    return [
        ("get", "/tra-cuu/?ma=001%00&xac_thuc=040090001234", {}),
        ("get", "/tai-lieu/xac-thuc/?ma=A%00B", {}),
        ("post", "/tai-lieu/xac-thuc/", {"ma": "A\x00B"}),
        ("post", "/tai-lieu/xac-thuc.json", {"ma": "A\x00B"}),
        ("get", "/dich-vu-cong/?q=khai%00sinh", {}),
        ("get", "/thu-tuc/1.001193%00/", {}),
        ("get", "/xep-hang/X%00Y/lay-so/", {}),
        ("get", "/xep-hang/X%00Y/bang/", {}),
        ("post", f"/xep-hang/{unit}/lay-so/", {"area": "khac", "name": "Hộ\x00tịch"}),
        ("get", "/api/v1/procedures/1.001193%00/", {}),
        ("get", "/api/v1/procedures/?q=a%00b", {}),
        ("get", "/api/v1/dossiers/X%00/", {}),
    ]


def test_a_nul_byte_anywhere_is_refused_with_400(province):
    client = Client(raise_request_exception=True)
    client.force_login(province.counter)
    for method, url, form in pages_with_nul(province):
        response = getattr(client, method)(url, form)
        assert response.status_code == 400, url
        text = response.content.decode()
        if url.startswith("/api/"):
            body = response.json()
            assert body["code"] == "invalid_character"
            assert body["message_vi"].startswith(NUL_MESSAGE_VI) and "NUL" in body["message_en"]
        else:
            assert NUL_MESSAGE_VI in text, url
    assert not Ticket.objects.exists()


def test_the_page_is_in_the_chosen_language(province):
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.get("/tra-cuu/?ma=A%00B")
    assert response.status_code == 400
    assert "NUL" in response.content.decode() and NUL_MESSAGE_VI not in response.content.decode()


def test_nul_in_a_header_or_a_cookie_is_refused(province):
    client = Client(raise_request_exception=True)
    assert client.get("/tra-cuu/", HTTP_X_FORWARDED_FOR="1.2.3.4\x00").status_code == 400
    client.cookies["sessionid"] = "abcdefgh\x00ijk"  # the session look-up would hit the database
    assert client.get("/").status_code == 400


def test_nul_in_a_json_body_is_refused_and_nothing_is_created(province):
    body = create_body(province, name="Nguyễn\x00Văn An")
    response = create(client_for(province.counter), body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_character"
    body = create_body(province)
    body["applicant"]["x\x00"] = "key"
    assert create(client_for(province.counter), body).status_code == 400
    assert not Dossier.objects.exists()


def test_json_nested_too_deep_is_refused(province):
    counter = client_for(province.counter)
    for depth in (MAX_DEPTH + 1, 100_000):
        payload = "[" * depth + "]" * depth
        response = counter.post(
            DOSSIERS, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY=uuid4().hex
        )
        assert response.status_code == 400, depth
        body = response.json()
        assert body["code"] == "json_too_deep"
        assert body["message_vi"] == f"Nội dung JSON lồng nhau quá sâu (tối đa {MAX_DEPTH} cấp)."
        assert body["message_en"] != body["message_vi"]
    nested: dict = {}
    body = create_body(province) | {"summary": nested}
    for _level in range(MAX_DEPTH):
        nested["x"] = nested = {}
    assert create(counter, body).status_code == 400
    assert not Dossier.objects.exists()
    # A normal body still goes through.
    assert create(counter, create_body(province)).status_code == 201


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=99999999999999999999", None),  # above 2^63: capped, not a 500
        ("limit=9223372036854775808&offset=0", None),
        ("limit=-1", "limit"),
        ("limit=abc", "limit"),
        ("limit=0", "limit"),
        ("limit=1.5", "limit"),
        ("offset=-5", "offset"),
        ("offset=x", "offset"),
        ("offset=99999999999999999999", "offset"),
        ("limit=%EF%BC%91", "limit"),  # a full-width digit is not a number here
    ],
)
def test_paging_parameters_are_checked(province, query, field):
    received = create(client_for(province.counter), create_body(province))
    assert received.status_code == 201
    for url in (f"/api/v1/procedures/?{query}", f"{DOSSIERS}?{query}"):
        response = client_for(province.counter).get(url, HTTP_ACCEPT_LANGUAGE="vi")
        if field is None:
            assert response.status_code == 200, url
            assert len(response.json()["results"]) >= 1
        else:
            assert response.status_code == 400, url
            body = response.json()
            assert body["code"] == "invalid_pagination" and field in body["fields"]
            assert body["message_vi"] != body["message_en"]


def test_a_large_limit_is_capped():
    paging = LimitOffsetPagination()
    for asked, given in [("100000", MAX_LIMIT), ("9" * 5000, MAX_LIMIT), ("7", 7), ("", 50), ("007", 7)]:
        assert paging.get_limit(Request(APIRequestFactory().get("/", {"limit": asked}))) == given
