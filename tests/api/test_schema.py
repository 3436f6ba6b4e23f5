from django.core.management import call_command
from rest_framework.test import APIClient


def test_schema_endpoint(db):
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "list_procedures",
        "get_procedure",
        "create_dossier",
        "get_dossier",
        "request_supplement",
    } <= operations
    assert "/api/v1/dossiers/{code}/request-supplement" in schema["paths"]
    assert (
        len([p for p in schema["paths"] if p.startswith("/api/v1/dossiers/{code}/") and p[-1] != "/"]) == 20
    )


def test_schema_validates_without_warnings(db, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").read_text().startswith("openapi:")
