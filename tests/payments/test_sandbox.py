"""The sandbox gateway: redirect, HMAC-signed callback, idempotent confirmation, failure and cancel."""

from urllib.parse import parse_qs, urlsplit

import pytest

from motcua.dossiers.states import Status
from motcua.payments.gateways import SandboxGateway, sign
from motcua.payments.models import Payment
from tests.dossiers.helpers import dossier_in


@pytest.fixture
def dossier(province):
    return dossier_in(province, Status.NEW_ONLINE)


@pytest.fixture
def paying(client, province, dossier):
    client.force_login(province.citizen)
    return client


def start(client, dossier) -> Payment:
    response = client.post(f"/thanh-toan/ho-so/{dossier.code}/")
    payment = Payment.objects.get()
    assert response["Location"] == f"/thanh-toan/sandbox/{payment.reference}/"
    return payment


def press(client, payment: Payment, outcome: str) -> tuple[str, dict]:
    """The payer presses a button on the sandbox's page; returns the signed callback it redirects to."""
    page = client.get(f"/thanh-toan/sandbox/{payment.reference}/")
    assert page.status_code == 200 and "10.000" in page.content.decode()
    redirect = client.post(f"/thanh-toan/sandbox/{payment.reference}/", {"outcome": outcome})["Location"]
    parts = urlsplit(redirect)
    assert parts.path == "/thanh-toan/callback/sandbox/"
    return redirect, {k: v[0] for k, v in parse_qs(parts.query).items()}


def test_paid_once_and_replay_changes_nothing(paying, dossier):
    payment = start(paying, dossier)
    assert (payment.status, payment.amount_vnd) == ("pending", 10000)
    callback, fields = press(paying, payment, "paid")
    back = paying.get(callback)
    assert back["Location"] == f"/ho-so-cua-toi/{dossier.code}/"
    payment.refresh_from_db()
    assert payment.status == "paid" and payment.paid_at and payment.provider_ref.startswith("SBX")
    paid_at = payment.paid_at
    # Replayed (same request again, or as a POST from the provider): nothing changes.
    assert paying.get(callback).status_code == 302
    assert paying.post("/thanh-toan/callback/sandbox/", fields).status_code == 200  # the provider: "OK"
    # A late, correctly signed "failed" for the same payment changes nothing either.
    failed = fields | {"outcome": "failed"}
    failed["sig"] = sign(failed)
    paying.get("/thanh-toan/callback/sandbox/", failed)
    payment.refresh_from_db()
    assert (payment.status, payment.paid_at) == ("paid", paid_at)
    recorded = dossier.events.get(act="record_payment")  # once, in the dossier's history
    assert recorded.data == {"reference": payment.reference, "amount_vnd": 10000, "provider": "sandbox"}
    page = paying.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "Đã thanh toán" in page and "Thanh toán trực tuyến" not in page
    # Nothing left to pay.
    assert paying.post(f"/thanh-toan/ho-so/{dossier.code}/").status_code == 302
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    "tamper",
    [
        lambda f: f | {"sig": "0" * 64},
        lambda f: f | {"amount": "1"},
        lambda f: f | {"outcome": "paid"} if f["outcome"] != "paid" else f | {"ref": "X"},
        lambda f: {k: v for k, v in f.items() if k != "sig"},
    ],
    ids=["wrong-signature", "amount-changed", "outcome-changed", "unsigned"],
)
def test_bad_signature_is_400_and_changes_nothing(paying, dossier, tamper):
    payment = start(paying, dossier)
    _callback, fields = press(paying, payment, "cancelled")
    response = paying.get("/thanh-toan/callback/sandbox/", tamper(fields))
    assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.status == "pending" and payment.callback_data == {}


def test_signature_uses_the_configured_secret(paying, dossier, settings):
    payment = start(paying, dossier)
    fields = {"ref": payment.reference, "outcome": "paid", "amount": "10000", "txn": "T1"}
    forged = fields | {"sig": sign(fields, secret=b"not-the-secret")}
    assert paying.get("/thanh-toan/callback/sandbox/", forged).status_code == 400
    settings.MOTCUA_SANDBOX_PAYMENT_SECRET = "configured"
    good = fields | {"sig": sign(fields, secret=b"configured")}
    assert SandboxGateway().verify_callback(good).outcome == "paid"


@pytest.mark.parametrize(("outcome", "message"), [("failed", "không thành công"), ("cancelled", "hủy")])
def test_failure_and_cancel_leave_the_fee_due(paying, dossier, outcome, message):
    payment = start(paying, dossier)
    callback, _fields = press(paying, payment, outcome)
    page = paying.get(callback, follow=True).content.decode()
    payment.refresh_from_db()
    assert payment.status == outcome and payment.paid_at is None
    assert message in page and "Thanh toán trực tuyến" in page
    # The payer may try again: a new payment.
    assert start_again(paying, dossier).status == "pending"


def start_again(client, dossier) -> Payment:
    client.post(f"/thanh-toan/ho-so/{dossier.code}/")
    return Payment.objects.order_by("-pk").first()


def test_only_the_applicant_starts_a_payment(client, province, dossier):
    client.force_login(province.other_citizen)
    assert client.post(f"/thanh-toan/ho-so/{dossier.code}/").status_code == 404
    assert not Payment.objects.exists()
