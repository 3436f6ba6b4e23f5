"""Catalogue managers record a decision in the admin; its amendments and abolitions go through the acts."""

from datetime import date, timedelta

from django.utils import timezone

from motcua.catalog.models import DecisionItem, Procedure, PublicationDecision
from tests.core.test_config_audit import admin_client as admin_client  # the fixture

URL = "/admin/catalog/publicationdecision/add/"


def form(**extra) -> dict:
    today = timezone.localdate()
    return {
        "number": "30/QĐ-UBND",
        "signed_on": (today - timedelta(days=7)).strftime("%d/%m/%Y"),
        "signer": "Chủ tịch UBND tỉnh",
        "effective_on": today.strftime("%d/%m/%Y"),
        "legal_basis_effective_on": "",
        "national_db_published_on": "",
        "notes": "",
        "act": "",
        "codes": "",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    } | extra


def test_a_decision_abolishing_and_amending_by_code(province, admin_client):
    response = admin_client.post(URL, form(act="abolish", codes="1.005136\n"))
    assert response.status_code == 302, response.content.decode()[:2000]
    decision = PublicationDecision.objects.get(number="30/QĐ-UBND")
    item = DecisionItem.objects.get(decision=decision)
    assert (item.kind, item.procedure_id) == ("abolish", province.nationality.pk)
    province.nationality.refresh_from_db()
    assert province.nationality.effective_to == timezone.localdate()

    response = admin_client.post(URL, form(number="31/QĐ-UBND", act="amend", codes="1.001193"))
    assert response.status_code == 302
    assert list(Procedure.objects.filter(code="1.001193").values_list("version", "effective_to")) == [
        (1, timezone.localdate()),
        (2, None),
    ]


def test_a_refused_act_is_shown_on_the_form_and_nothing_is_saved(province, admin_client):
    response = admin_client.post(URL, form(act="abolish", codes="1.005136\n9.999999"))
    assert response.status_code == 200
    assert "Thủ tục 9.999999: Không có thủ tục mã này trong danh mục." in response.content.decode()
    assert not PublicationDecision.objects.exists()
    province.nationality.refresh_from_db()
    assert province.nationality.effective_to is None


def test_an_effective_date_before_signing_is_refused(province, admin_client):
    today = timezone.localdate()
    response = admin_client.post(
        URL,
        form(
            signed_on=today.strftime("%d/%m/%Y"), effective_on=(today - date.resolution).strftime("%d/%m/%Y")
        ),
    )
    assert response.status_code == 200
    assert "Ngày có hiệu lực không thể trước ngày ký quyết định." in response.content.decode()
    assert not PublicationDecision.objects.exists()
