"""An overloaded moment of the database (#12 fault 6): 503 with Retry-After in the API's error format or as
a page, never a 500, and nothing half-saved.

The database is made busy for real: another connection holds the write lock (SQLite) or the dossier's row
(PostgreSQL) while the request waits a fraction of a second for it."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.outbox.models import OutboxMessage
from motcua.queueing.models import Ticket
from tests.api.conftest import act, client_for, create, create_body, ok
from tests.queueing.helpers import make_counter

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def database_held_elsewhere(monkeypatch, dossier_pk: int) -> Iterator[None]:
    """Another connection holds what a write needs; this process gives up after 0.2 s."""
    if connection.vendor == "sqlite":
        monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.2)
        connection.close()  # the next request connects with the short busy timeout
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '200ms'")
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as other:
        other.execute("SELECT 1 FROM dossiers_dossier WHERE id = %s FOR UPDATE", [dossier_pk])
        yield
        other.rollback()


def test_an_api_act_on_a_busy_database_answers_503_in_the_api_format_and_changes_nothing(
    province, monkeypatch
):
    received = ok(create(client_for(province.counter), create_body(province)), 201)
    dossier = Dossier.objects.get(code=received["code"])
    events, messages = DossierEvent.objects.count(), OutboxMessage.objects.count()
    with database_held_elsewhere(monkeypatch, dossier.pk):
        response = act(client_for(province.counter), received, "start-processing")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["code"] == "service_unavailable"
    assert body["message_vi"].startswith("Hệ thống đang quá tải")
    assert body["message_en"].startswith("The system is overloaded")
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version) == (received["status"], received["version"])
    assert (DossierEvent.objects.count(), OutboxMessage.objects.count()) == (events, messages)
    # The same act a moment later goes through.
    again = act(client_for(province.counter), received, "start-processing")
    assert again.status_code == 200


def test_a_page_writing_to_a_busy_database_answers_a_503_page(province, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("a ticket takes no lock another connection holds on PostgreSQL: the API test covers it")
    make_counter(province.commune, 1, "Hộ tịch")
    with database_held_elsewhere(monkeypatch, 0):
        response = client_for(None).post(
            f"/xep-hang/{province.commune.code}/lay-so/",
            {"area": "ho-tich", "id_number": "040090001234", "name": "Nguyễn Văn An"},
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Hệ thống đang bận" in response.content.decode()
    assert not Ticket.objects.exists()
