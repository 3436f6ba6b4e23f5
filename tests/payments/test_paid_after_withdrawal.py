"""Money the gateway took is never lost (issue #10): a paid callback for a dossier that may not take the
payment any more is recorded as paid, flagged to be refunded with the reason, and answered 200."""

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Status
from motcua.payments.gateways import sign
from motcua.payments.models import Payment
from motcua.payments.selectors import payment_state, payments_to_refund
from motcua.payments.services import start_payment
from tests.backoffice.helpers import client_for, dossier_url, messages_of
from tests.dossiers.helpers import at, dossier_in

pytestmark = pytest.mark.django_db


def paid_callback(payment: Payment) -> dict[str, str]:
    fields = {"ref": payment.reference, "outcome": "paid", "amount": str(payment.amount_vnd), "txn": "GW42"}
    return fields | {"sig": sign(fields)}


@pytest.fixture
def withdrawn_while_paying(province) -> tuple[Dossier, Payment]:
    """The applicant opens the gateway's page, then withdraws the dossier before the gateway calls back."""
    dossier = dossier_in(province, Status.NEW_ONLINE)
    payment, _url = start_payment(dossier=dossier, acting_user=province.citizen)
    dossier = services.accept(dossier=dossier, acting_user=province.counter, now=at(1))
    dossier = services.withdraw(
        dossier=dossier, acting_user=province.citizen, reason="Không cần nữa", now=at(2)
    )
    return dossier, payment


def test_a_paid_callback_after_withdrawal_is_kept_to_refund_and_answered_200(client, withdrawn_while_paying):
    dossier, payment = withdrawn_while_paying
    events, version = dossier.events.count(), dossier.version
    response = client.post("/thanh-toan/callback/sandbox/", paid_callback(payment))
    assert response.status_code == 200 and response.content == b"OK"
    payment.refresh_from_db()
    assert (payment.status, payment.needs_refund, payment.provider_ref) == ("paid", True, "GW42")
    assert payment.paid_at is not None
    assert "rút hồ sơ" in payment.refund_reason and "Công dân rút hồ sơ" in payment.refund_reason
    after = Dossier.objects.get(pk=dossier.pk)
    assert (after.status, after.version, after.events.count()) == (Status.WITHDRAWN, version, events)
    assert list(payments_to_refund()) == [payment]
    # A replay changes nothing, and is answered the same.
    assert client.post("/thanh-toan/callback/sandbox/", paid_callback(payment)).status_code == 200
    assert Payment.objects.get(pk=payment.pk).refund_reason == payment.refund_reason


def test_the_counter_officer_sees_the_money_to_refund(client, province, withdrawn_while_paying):
    dossier, payment = withdrawn_while_paying
    client.post("/thanh-toan/callback/sandbox/", paid_callback(payment))
    state = payment_state(Dossier.objects.get(pk=dossier.pk))
    assert state.paid is None and [p.pk for p in state.to_refund] == [payment.pk]
    page = client_for(province.counter).get(dossier_url(dossier)).content.decode()
    assert "Cần hoàn tiền" in page and payment.reference in page and "10.000 đồng" in page


def test_the_payer_coming_back_is_told_the_money_will_be_refunded(client, province, withdrawn_while_paying):
    _dossier, payment = withdrawn_while_paying
    client.force_login(province.citizen)
    back = client.get("/thanh-toan/callback/sandbox/", paid_callback(payment), follow=True)
    assert back.status_code == 200
    assert any("sẽ được hoàn lại" in m for m in messages_of(back))


def test_a_second_payment_of_a_paid_dossier_is_kept_to_refund(client, province):
    dossier = dossier_in(province, Status.NEW_ONLINE)
    first, _ = start_payment(dossier=dossier, acting_user=province.citizen)
    second, _ = start_payment(dossier=dossier, acting_user=province.citizen)  # a second browser tab
    assert client.post("/thanh-toan/callback/sandbox/", paid_callback(first)).status_code == 200
    assert client.post("/thanh-toan/callback/sandbox/", paid_callback(second)).status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.needs_refund) == ("paid", False)
    assert (second.status, second.needs_refund) == ("paid", True)
    assert "đã nộp đủ phí" in second.refund_reason
    assert dossier.events.filter(act="record_payment").count() == 1
