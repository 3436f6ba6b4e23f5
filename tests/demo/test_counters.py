"""The demo province's reception halls: areas, counters serving them in order, a roster; loaded once."""

import pytest
from django.test import Client

from motcua.demo.counters import DEMO_AREAS, DEMO_COUNTERS, load_demo_counters
from motcua.demo.org import load_org
from motcua.queueing.models import CounterShift, ServiceArea, ServiceCounter, Ticket

pytestmark = pytest.mark.django_db


def test_the_demo_kiosks_give_numbers_and_a_second_load_keeps_the_counters():
    org = load_org()
    assert load_demo_counters(org) == 2 * len(DEMO_AREAS) + len(DEMO_COUNTERS)
    desk = ServiceCounter.objects.get(unit=org.first_commune, number=1)
    assert desk.officer.username == "tiepnhan.thanhvinh" and desk.is_open
    land = ServiceCounter.objects.get(unit=org.center, number=2)
    assert {(link.area.name, link.priority) for link in land.area_links.select_related("area")} == {
        ("Đất đai", 1),
        ("Khác", 2),
    }
    helper = ServiceCounter.objects.get(unit=org.center, number=4)
    assert sorted(CounterShift.objects.filter(counter=helper).values_list("weekday", flat=True)) == [0, 2, 4]
    desk.is_open = False  # an administrator's change survives a reload
    desk.save()
    assert load_demo_counters(load_org()) == 0
    assert not ServiceCounter.objects.get(pk=desk.pk).is_open
    kiosk = f"/xep-hang/{org.center.code}/lay-so/"
    page = Client().get(kiosk).text
    assert [name for _code, name, _target in DEMO_AREAS] == list(
        ServiceArea.objects.filter(unit=org.center).values_list("name", flat=True)
    )
    assert all(name in page for _code, name, _target in DEMO_AREAS)
    person = {"id_number": "040090001234", "name": "Nguyễn Văn An"}
    assert Client().post(kiosk, {"area": "dat-dai"} | person).status_code == 302
    assert Ticket.objects.get().area.name == "Đất đai"
