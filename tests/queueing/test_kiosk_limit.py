"""The ticket kiosk gives one client a limited number of tickets a minute: a script cannot take the day's
queue (it took 300 numbers in 25 seconds)."""

import pytest
from django.test import Client

from motcua.queueing import views_kiosk as views
from motcua.queueing.models import Ticket
from tests.queueing.helpers import make_counter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def open_counters(province):
    return [make_counter(unit, 1) for unit in (province.commune, province.center)]


def kiosk(province) -> str:
    return f"/xep-hang/{province.commune.code}/lay-so/"


_people = iter(range(1, 1000))


def typed() -> dict[str, str]:
    """A different person each time (one open ticket per person and area)."""
    return {"area": "khac", "id_number": f"0400900{next(_people):05d}", "name": "Lê Văn Bình"}


def test_a_client_taking_too_many_tickets_gets_429_and_no_ticket(province):
    script = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(views.TICKETS_PER_WINDOW):
        assert script.post(kiosk(province), typed()).status_code == 302
    refused = script.post(kiosk(province), typed())
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(views.TICKET_WINDOW_SECONDS)
    assert "Đã lấy quá nhiều số trong thời gian ngắn" in refused.content.decode()
    assert Ticket.objects.count() == views.TICKETS_PER_WINDOW
    # Someone else, and the same client at another unit, still get their number.
    assert Client(REMOTE_ADDR="203.0.113.8").post(kiosk(province), typed()).status_code == 302
    other = f"/xep-hang/{province.center.code}/lay-so/"
    assert script.post(other, typed()).status_code == 302
    assert Ticket.objects.count() == views.TICKETS_PER_WINDOW + 2


def test_the_refusal_is_in_the_chosen_language(province, monkeypatch):
    monkeypatch.setattr(views, "TICKETS_PER_WINDOW", 0)
    client = Client(REMOTE_ADDR="203.0.113.9")
    client.cookies["django_language"] = "en"
    refused = client.post(kiosk(province), typed())
    assert refused.status_code == 429
    assert "Đã lấy" not in refused.content.decode()
    assert not Ticket.objects.exists()


def test_looking_at_the_kiosk_is_not_counted(province):
    client = Client(REMOTE_ADDR="203.0.113.10")
    for _ in range(views.TICKETS_PER_WINDOW + 5):
        assert client.get(kiosk(province)).status_code == 200
    assert client.post(kiosk(province), typed()).status_code == 302
