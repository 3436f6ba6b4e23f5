"""The demo province had no counters, so its kiosks could give no number: it now has some, loaded once."""

import pytest
from django.test import Client

from motcua.demo.counters import DEMO_COUNTERS, load_demo_counters
from motcua.demo.org import load_org
from motcua.queueing.models import ServiceCounter, Ticket

pytestmark = pytest.mark.django_db


def test_the_demo_kiosks_give_numbers_and_a_second_load_keeps_the_counters():
    org = load_org()
    assert load_demo_counters(org) == len(DEMO_COUNTERS)
    desk = ServiceCounter.objects.get(unit=org.first_commune, number=1)
    assert desk.officer.username == "tiepnhan.thanhvinh" and desk.is_open
    desk.is_open = False  # an administrator's change survives a reload
    desk.save()
    assert load_demo_counters(load_org()) == 0
    assert not ServiceCounter.objects.get(pk=desk.pk).is_open
    kiosk = f"/xep-hang/{org.center.code}/lay-so/"
    assert "Tư pháp, hộ tịch" in Client().get(kiosk).text
    assert Client().post(kiosk, {"field": "Tư pháp, hộ tịch"}).status_code == 302
    assert Ticket.objects.count() == 1
