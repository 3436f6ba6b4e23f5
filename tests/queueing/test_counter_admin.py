"""The center administrator sets up the counters from the back office (it took Django's admin), and the
kiosk gives numbers once one is open."""

import pytest
from django.test import Client

from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.queueing import services
from motcua.queueing.models import ServiceCounter, Ticket
from tests.queueing.helpers import area_of, make_counter
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db


def test_the_center_administrator_adds_a_counter_and_the_kiosk_opens(province):
    admin = client_for(province.admin)
    kiosk = f"/xep-hang/{province.center.code}/lay-so/"
    civil, other = area_of(province.center, "Tư pháp"), area_of(province.center)
    area_of(province.commune, "Đất đai")  # not the center's
    assert Client().post(kiosk, typed("tu-phap")).status_code == 409
    listed = admin.get("/xep-hang/quay/")
    assert "Đơn vị của bạn chưa có quầy nào" in listed.text and 'href="/xep-hang/quay/moi/"' in listed.text
    form = admin.get("/xep-hang/quay/moi/")
    seat = "{} ({})</option>"
    assert form.status_code == 200
    assert seat.format(province.center_counter.display_name, province.center) in form.text
    # A commune's officer: not the center's to seat.
    assert seat.format(province.counter.display_name, province.commune) not in form.text
    assert "Tư pháp (" in form.text and "Đất đai (" not in form.text
    created = admin.post(
        "/xep-hang/quay/moi/",
        {
            "unit": province.center.pk,
            "number": "2",
            "name": "Quầy 2 – Tư pháp",
            "areas": [civil.pk],
            "later_areas": [other.pk],
            "is_open": "on",
            "officer": province.center_counter.pk,
        },
    )
    assert created.status_code == 302 and created.url == "/xep-hang/quay/"
    desk = ServiceCounter.objects.get()
    assert (desk.unit, desk.number, desk.is_open, desk.officer) == (
        province.center,
        2,
        True,
        province.center_counter,
    )
    assert {(link.area, link.priority) for link in desk.area_links.all()} == {(civil, 1), (other, 2)}
    assert "Tư pháp" in Client().get(kiosk).text
    assert Client().post(kiosk, typed("tu-phap")).status_code == 302
    edit = admin.get(f"/xep-hang/quay/{desk.pk}/sua/").text
    assert f'<option value="{civil.pk}" selected>' in edit

    closed = admin.post(
        f"/xep-hang/quay/{desk.pk}/sua/",
        {"unit": province.center.pk, "number": "2", "name": "Quầy 2", "areas": [civil.pk], "officer": ""},
    )
    assert closed.status_code == 302
    desk.refresh_from_db()
    assert (desk.name, desk.is_open, desk.officer) == ("Quầy 2", False, None)
    assert Client().post(kiosk, typed("tu-phap", 2)).status_code == 409
    assert Ticket.objects.count() == 1
    assert [link.area for link in desk.area_links.all()] == [civil]


def typed(area: str, n: int = 1) -> dict[str, str]:
    return {"area": area, "id_number": f"0400900{n:05d}", "name": "Lê Thị Mai"}


def test_an_area_of_another_unit_is_refused(province):
    with pytest.raises(ValidationFailed) as refused:
        services.save_counter(
            acting_user=province.admin,
            unit=province.center,
            number=1,
            name="Quầy 1",
            areas=[area_of(province.commune)],
        )
    assert refused.value.field_codes() == {"areas": "invalid"}
    assert not ServiceCounter.objects.exists()


def test_a_taken_number_is_an_error_on_the_form(province):
    make_counter(province.center, 1)
    refused = client_for(province.admin).post(
        "/xep-hang/quay/moi/",
        {"unit": province.center.pk, "number": "1", "name": "Quầy một", "is_open": "on"},
    )
    assert refused.status_code == 400 and "Đơn vị đã có quầy số 1" in refused.text
    assert ServiceCounter.objects.count() == 1


def test_only_the_administrator_of_the_unit_sets_up_its_counters(province):
    desk = make_counter(province.commune, 1)
    for user in (province.counter, province.center_counter, province.specialist):
        assert client_for(user).get("/xep-hang/quay/moi/").status_code == 403
        assert client_for(user).get(f"/xep-hang/quay/{desk.pk}/sua/").status_code == 403
    # The center's administrator: the commune is not under the center.
    assert client_for(province.admin).get(f"/xep-hang/quay/{desk.pk}/sua/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.save_counter(acting_user=province.admin, unit=province.commune, number=2, name="Quầy 2")
    moved = client_for(province.admin).post(
        "/xep-hang/quay/moi/", {"unit": province.commune.pk, "number": "3", "name": "Quầy 3", "is_open": "on"}
    )
    assert moved.status_code == 400  # not among the units offered
    assert Client().get("/xep-hang/quay/moi/").status_code == 302  # to the officers' login
    with pytest.raises(PermissionDenied):
        services.save_counter(acting_user=province.counter, unit=province.commune, number=2, name="Quầy 2")
    assert ServiceCounter.objects.count() == 1


def test_the_officer_must_work_in_the_counters_unit(province):
    with pytest.raises(ValidationFailed) as refused:
        services.save_counter(
            acting_user=province.admin,
            unit=province.center,
            number=1,
            name="Quầy 1",
            officer=province.counter,
        )
    assert refused.value.field_codes() == {"officer": "invalid"}
    assert not ServiceCounter.objects.exists()


def test_the_back_office_menu_leads_to_the_counters(province):
    # The center administrator and counter officers reach the counters from the back office's menu; a
    # specialist does not see the link.
    for user in (province.admin, province.counter):
        page = client_for(user).get("/can-bo/")
        assert 'href="/xep-hang/quay/">Quầy và xếp hàng</a>' in page.text, user.role
    assert "/xep-hang/quay/" not in client_for(province.specialist).get("/can-bo/").text
