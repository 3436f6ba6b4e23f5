"""The application's PostgreSQL connections do not JIT-compile their queries (settings.py, MOTCUA_PG_JIT):
the server's default is on (`make test-postgres` leaves it so)."""

import pytest
from django.db import connection


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_the_connections_turn_jit_off():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
