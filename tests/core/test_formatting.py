"""One way to print dates, times and money (#13 item 14): "dd/mm/yyyy HH:MM" in local time on every page
and slip, "17.000 đồng", payment references of the local day, slips headed by the issuing body, and the
admin's long unit lists searchable."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import translation
from django.utils.timezone import localtime

from motcua.catalog.models import Fee
from motcua.core.formatting import format_datetime, format_vnd
from motcua.core.models import OrgUnit
from motcua.documents import slips
from motcua.documents.slips.layout import issuing_body
from motcua.dossiers.states import Status
from motcua.payments.services import payment_reference
from motcua.quality import services as quality_services
from tests.backoffice.helpers import client_for, dossier_url
from tests.dossiers.helpers import dossier_in
from tests.factories import local, make_user
from tests.support.pdfs import pdf_text

pytestmark = pytest.mark.django_db

MARCH = "?kind=month&month=3&year=2026"


def day_first(moment: datetime) -> str:
    return localtime(moment).strftime("%d/%m/%Y %H:%M")


def time_first(moment: datetime) -> str:
    return localtime(moment).strftime("%H:%M %d/%m/%Y")


def test_the_tracking_page_prints_day_first_in_local_time(client, province):
    dossier = dossier_in(province, Status.PROCESSING)  # received 02/03/2026 09:00 local (02:00 UTC)
    html = client.get("/tra-cuu/", {"ma": dossier.code, "xac_thuc": "040090001234"}).content.decode()
    assert "02/03/2026 09:00" in html
    assert day_first(dossier.appointment_at) in html
    assert "09:00 02/03/2026" not in html and time_first(dossier.appointment_at) not in html


def test_the_late_list_prints_day_first(client, province):
    dossier = dossier_in(province, Status.PROCESSING)  # its appointment passed in March
    quality_services.rebuild()
    client.force_login(province.leader)
    html = client.get("/chat-luong/tre-han/" + MARCH).content.decode()
    assert dossier.code in html
    assert day_first(dossier.appointment_at) in html and time_first(dossier.appointment_at) not in html
    assert "01/04/2026 00:00" in html  # the moment the list was judged at: the end of March


def test_slips_print_day_first_and_name_the_issuing_body(province):
    dossier = dossier_in(province, Status.PROCESSING)
    text = pdf_text(slips.control_slip(dossier, printed_at=local(2026, 3, 2, 14)))
    assert "02/03/2026 09:00" in text and "09:00 02/03/2026" not in text
    assert day_first(dossier.appointment_at) in text
    assert "In lúc 02/03/2026 14:00" in text
    receipt = pdf_text(slips.receipt_slip(dossier))
    assert "UBND PHƯỜNG THÀNH VINH" in receipt


def test_the_issuing_body_follows_the_unit_and_its_parent(province):
    assert issuing_body(province.commune) == ("", "UBND PHƯỜNG THÀNH VINH")
    assert issuing_body(province.center) == ("UBND TỈNH NGHỆ AN", "TRUNG TÂM PVHCC TỈNH")
    assert issuing_body(province.justice) == ("UBND TỈNH NGHỆ AN", "SỞ TƯ PHÁP")
    police = ("CÔNG AN TỈNH NGHỆ AN", "CÔNG AN PHƯỜNG THÀNH VINH")
    assert issuing_body(province.commune_police) == police
    dossier = province.receive(province.nationality)  # received at the provincial centre
    text = pdf_text(slips.receipt_slip(dossier))
    assert "UBND TỈNH NGHỆ AN" in text and "TRUNG TÂM PVHCC TỈNH" in text


def test_the_back_office_prints_money_with_thousands_separators(province):
    province.birth.fees.all().delete()
    Fee.objects.create(
        procedure=province.birth, position=1, name="Lệ phí", channel=Fee.Channel.ALL, amount_vnd=17000
    )
    dossier = province.receive()
    html = client_for(province.counter).get(dossier_url(dossier)).content.decode()
    assert "17.000 đồng" in html and "17000" not in html


def test_formats_are_day_first_in_english_too():
    moment = datetime(2026, 12, 1, 17, 30, tzinfo=UTC)  # 00:30 on 02/12 in Hà Nội
    assert format_datetime(moment) == "02/12/2026 00:30"
    assert format_vnd(17000) == "17.000 đồng"
    with translation.override("en"):
        assert format_datetime(moment) == "02/12/2026 00:30"
        assert format_vnd(17000) == "17,000 VND"


def test_a_payment_reference_carries_the_local_day():
    just_after_midnight = datetime(2026, 12, 1, 17, 30, tzinfo=UTC)  # 00:30 on 02/12 local, still 01/12 UTC
    assert payment_reference(just_after_midnight).startswith("TT261202")


@pytest.fixture
def units(province) -> None:
    for number in range(1, 60):
        OrgUnit.objects.create(code=f"{number + 100:03d}.00.50.H40", name=f"Xã Mẫu {number}", kind="commune")


def test_admin_unit_fields_are_searchable_not_long_selects(province, units):
    superuser = make_user("sieu", "center_admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    html = client.get("/admin/queueing/servicecounter/add/").content.decode()
    assert 'name="unit"' in html and "admin-autocomplete" in html
    assert "Xã Mẫu 59" not in html  # the 60 units are searched, not listed
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "queueing", "model_name": "servicecounter", "field_name": "unit", "term": "Mẫu 59"},
    ).json()
    assert [r["text"] for r in found["results"]] == ["Xã Mẫu 59"]


def test_a_catalogue_admin_looks_up_units_for_a_procedure(province, units):
    editor = make_user("quantri_thu", "center_admin", is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(content_type__app_label="catalog"))
    client = Client()
    client.force_login(editor)
    html = client.get(f"/admin/catalog/procedure/{province.birth.pk}/change/").content.decode()
    assert "admin-autocomplete" in html and "Xã Mẫu 59" not in html
    found = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "catalog",
            "model_name": "procedure",
            "field_name": "responsible_unit",
            "term": "Thành Vinh",
        },
    )
    assert found.status_code == 200
    assert "Phường Thành Vinh" in [r["text"] for r in found.json()["results"]]


def test_admin_lists_speak_vietnamese_and_print_money_grouped(province):
    from motcua.interop.models import Notification
    from motcua.payments.models import Payment

    dossier = province.receive()
    Payment.objects.create(
        dossier=dossier, amount_vnd=17000, description="Lệ phí", provider="sandbox", reference="TT261202AB"
    )
    Notification.objects.create(dossier_code=dossier.code, recipient="an@example.vn", subject="Hẹn", body="…")
    client = Client()
    client.force_login(make_user("sieu", "center_admin", is_staff=True, is_superuser=True))
    payments = client.get("/admin/payments/payment/").content.decode()
    assert "17.000 đồng" in payments and dossier.code in payments
    notifications = client.get("/admin/interop/notification/").content.decode()
    assert "Người nhận" in notifications and "Recipient" not in notifications
    units = client.get("/admin/core/orgunit/").content.decode()
    assert "Đơn vị cấp trên" in units and ">Parent<" not in units
    assert "Quản trị hệ thống một cửa" in units  # not "Trang quản trị cho Django"
