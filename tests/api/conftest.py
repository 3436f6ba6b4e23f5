"""Helpers for the API tests: clients for the province's people, a valid create body, act calls."""

from typing import Any
from uuid import uuid4

import pytest
from rest_framework.test import APIClient

from motcua.catalog.models import Procedure
from motcua.core.models import OrgUnit, User
from tests.factories import Province

DOSSIERS = "/api/v1/dossiers/"


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def create_body(
    p: Province,
    *,
    procedure: Procedure | None = None,
    channel: str = "counter",
    unit: OrgUnit | None = None,
    **applicant: Any,
) -> dict[str, Any]:
    procedure = procedure or p.birth
    return {
        "procedure": procedure.code,
        "channel": channel,
        "receiving_unit": (unit or p.commune).code,
        "applicant": {
            "kind": "citizen",
            "name": "Nguyễn Văn An",
            "id_number": "040090001234",
            "phone": "0912345678",
            "email": "an@example.vn",
            "address": "Phường Thành Vinh",
        }
        | applicant,
        "components": [c.pk for c in procedure.components.filter(is_mandatory=True)],
        "summary": "Đăng ký khai sinh",
    }


def create(client: APIClient, body: Any, key: str | None = None, **headers: str):
    return client.post(DOSSIERS, body, format="json", HTTP_IDEMPOTENCY_KEY=key or uuid4().hex, **headers)


def act(client: APIClient, dossier: dict[str, Any], name: str, **data: Any):
    """POST the act on the dossier (as last seen: its code and version)."""
    body = {"version": dossier["version"]} | data
    return client.post(f"{DOSSIERS}{dossier['code']}/{name}", body, format="json")


def ok(response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.json()
    return response.json()


@pytest.fixture
def received(province) -> dict[str, Any]:
    """A birth registration received at the commune's counter (status 2), as the API shows it."""
    return ok(create(client_for(province.counter), create_body(province)), 201)


@pytest.fixture
def processing(province, received) -> dict[str, Any]:
    return ok(act(client_for(province.counter), received, "start-processing"))
