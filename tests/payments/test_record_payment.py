"""Recording a fee paid (issue #10): the counter officer who took it, or the gateway's settlement of a
verified callback — never the applicant; only for a dossier with a fee, for at most what is still due."""

import pytest

from motcua.catalog.models import Fee
from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.states import Status
from motcua.payments.services import amount_due, gateway_account
from tests.api.conftest import DOSSIERS, act, client_for, ok
from tests.dossiers.helpers import at, dossier_in
from tests.payments.test_fees_by_channel import by_channel

pytestmark = pytest.mark.django_db


def as_seen(client, dossier: Dossier) -> dict:
    return ok(client.get(f"{DOSSIERS}{dossier.code}/"))


def unchanged(dossier: Dossier) -> bool:
    now = Dossier.objects.get(pk=dossier.pk)
    return now.version == dossier.version and not now.events.filter(act="record_payment").exists()


def test_the_applicant_cannot_record_a_payment_through_the_api(province):
    dossier = dossier_in(province, Status.PROCESSING)
    dossier.applicant_user = province.citizen
    dossier.save(update_fields=["applicant_user"])
    citizen = client_for(province.citizen)
    seen = as_seen(citizen, dossier)
    assert "record-payment" not in {a["act"] for a in seen["allowed_acts"]}
    for _ in range(3):  # repeating it does not bump the version either
        response = act(
            citizen, seen, "record-payment", reference="X", amount_vnd=999_999_999, provider="cash"
        )
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        assert "Bạn không có quyền “ghi nhận thanh toán phí, lệ phí”" in response.json()["message"]
    assert unchanged(dossier)


def test_another_connected_system_cannot_record_a_payment(province):
    dossier = dossier_in(province, Status.PROCESSING)
    with pytest.raises(PermissionDenied):
        services.record_payment(
            dossier=dossier, acting_user=province.system, reference="X", amount_vnd=10000, provider="portal"
        )
    assert unchanged(dossier)


def test_the_counter_records_what_is_due_once_and_no_more(province):
    dossier = dossier_in(province, Status.PROCESSING)  # counter channel, a 10.000 đ fee
    counter = client_for(province.counter)
    seen = as_seen(counter, dossier)
    assert "record-payment" in {a["act"] for a in seen["allowed_acts"]}
    over = act(counter, seen, "record-payment", reference="BL 1", amount_vnd=999_999_999, provider="cash")
    assert over.status_code == 400
    body = over.json()
    assert body["code"] == "amount_over_due" and body["field_codes"] == {"amount_vnd": "over_due"}
    assert body["fields"] == {"amount_vnd": body["message"]}
    assert (
        body["message"]
        == "Số tiền 999.999.999 đồng vượt quá số phí, lệ phí hồ sơ còn phải nộp (10.000 đồng)."
    )
    assert unchanged(dossier)
    seen = ok(act(counter, seen, "record-payment", reference="BL 1", amount_vnd=4000, provider="cash"))
    assert seen["events"][-1]["data"] == {"reference": "BL 1", "amount_vnd": 4000, "provider": "cash"}
    assert amount_due(Dossier.objects.get(pk=dossier.pk)) == 6000  # online, only the rest is billed
    seen = ok(act(counter, seen, "record-payment", reference="BL 2", amount_vnd=6000, provider="cash"))
    assert "record-payment" not in {a["act"] for a in seen["allowed_acts"]}
    again = act(counter, seen, "record-payment", reference="BL 3", amount_vnd=1, provider="cash")
    assert again.status_code == 400 and again.json()["code"] == "nothing_due"
    assert "đã nộp đủ phí, lệ phí" in again.json()["message"]
    assert Dossier.objects.get(pk=dossier.pk).version == seen["version"]


def test_a_dossier_without_a_fee_for_its_channel_records_no_payment(province):
    by_channel(province.birth, ("Lệ phí (nộp trực tuyến)", Fee.Channel.ONLINE, 7000))
    dossier = dossier_in(province, Status.ACCEPTED)
    assert dossier.channel == Channel.COUNTER
    with pytest.raises(ValidationFailed) as refused:
        services.record_payment(
            dossier=dossier, acting_user=province.counter, reference="BL 1", amount_vnd=7000, provider="cash"
        )
    assert refused.value.code == "no_fee"
    assert unchanged(dossier)


def test_a_fee_set_case_by_case_is_recorded_as_the_receipt_says(province):
    """A fee without a published amount (set by the provincial council): no amount to check against."""
    by_channel(province.birth, ("Phí thẩm định (theo Nghị quyết HĐND)", Fee.Channel.ALL, None))
    dossier = dossier_in(province, Status.PROCESSING)
    d = services.record_payment(
        dossier=dossier, acting_user=province.counter, reference="BL 9", amount_vnd=25000, provider="cash"
    )
    assert d.events.filter(act="record_payment").count() == 1


@pytest.mark.parametrize("bad", [{"amount_vnd": 0}, {"amount_vnd": -5}, {"reference": "  "}])
def test_bad_input_is_refused_with_the_field(province, bad):
    dossier = dossier_in(province, Status.PROCESSING)
    kwargs = {"reference": "BL 1", "amount_vnd": 10000, "provider": "cash"} | bad
    with pytest.raises(ValidationFailed) as refused:
        services.record_payment(dossier=dossier, acting_user=province.counter, **kwargs)
    assert set(refused.value.fields) <= {"amount_vnd", "reference"}
    assert unchanged(dossier)


def test_the_gateway_settlement_acts_as_the_gateway_account(province):
    dossier = dossier_in(province, Status.NEW_ONLINE)
    d = services.record_payment(
        dossier=dossier,
        acting_user=gateway_account(),
        reference="TT1",
        amount_vnd=10000,
        provider="sandbox",
        now=at(1),
    )
    event = d.events.get(act="record_payment")
    assert event.actor.username == "he-thong.cong-thanh-toan" and event.actor.role == "system"
    assert not event.actor.has_usable_password()
