"""A dossier pays the fees of its own channel: online 7.000 đ, counter 10.000 đ, never both."""

import pytest

from motcua.catalog.models import Fee, Procedure
from motcua.dossiers import services
from motcua.dossiers.models import Channel
from motcua.dossiers.states import Status
from motcua.interop.dvcqg.payloads import dong_bo_ho_so
from motcua.payments.models import Payment
from motcua.payments.selectors import payment_state
from motcua.payments.services import fees_total, start_payment
from tests.dossiers.helpers import at, dossier_in

pytestmark = pytest.mark.django_db


def by_channel(procedure: Procedure, *fees: tuple[str, str, int]) -> None:
    """Replace the procedure's fees with (name, channel, amount) rows."""
    procedure.fees.all().delete()
    for position, (name, channel, amount) in enumerate(fees, start=1):
        Fee.objects.create(
            procedure=procedure, position=position, name=name, channel=channel, amount_vnd=amount
        )


@pytest.fixture
def residence(province) -> Procedure:
    """The birth procedure of the test province, billed like temporary residence."""
    by_channel(
        province.birth,
        ("Lệ phí đăng ký tạm trú – trực tuyến", Fee.Channel.ONLINE, 7000),
        ("Lệ phí đăng ký tạm trú – trực tiếp", Fee.Channel.COUNTER, 10000),
    )
    return province.birth


def test_an_online_dossier_is_billed_the_online_fee(province, residence):
    dossier = dossier_in(province, Status.NEW_ONLINE)
    assert dossier.channel == Channel.ONLINE
    assert fees_total(dossier) == 7000
    state = payment_state(dossier)
    assert (state.fees_total, state.amount_due, state.can_pay) == (7000, 7000, True)
    payment, _ = start_payment(dossier=dossier, acting_user=province.citizen)
    assert payment.amount_vnd == 7000


def test_a_counter_dossier_is_billed_the_counter_fee(province, residence):
    dossier = province.receive(now=at(0))
    assert dossier.channel == Channel.COUNTER
    assert fees_total(dossier) == 10000
    assert payment_state(dossier).amount_due == 10000


def test_a_post_dossier_pays_no_fee_of_another_channel(province, residence):
    dossier = services.receive(
        intake=province.intake(), channel=Channel.POST, acting_user=province.counter, now=at(0)
    )
    assert fees_total(dossier) == 0
    assert payment_state(dossier).can_pay is False


def test_a_fee_of_every_channel_is_billed_once(province):
    by_channel(
        province.birth,
        ("Phí công bố nội dung đăng ký", Fee.Channel.ALL, 100000),
        ("Lệ phí đăng ký (nộp trực tiếp)", Fee.Channel.COUNTER, 50000),
    )
    online = dossier_in(province, Status.NEW_ONLINE)
    counter = province.receive(now=at(0))
    assert (fees_total(online), fees_total(counter)) == (100000, 150000)
    by_channel(province.birth, ("Lệ phí", Fee.Channel.ALL, 10000))
    assert (fees_total(online), fees_total(counter)) == (10000, 10000)


def test_the_citizen_pays_the_online_fee_through_the_gateway(client, province, residence):
    dossier = dossier_in(province, Status.NEW_ONLINE)
    client.force_login(province.citizen)
    client.post(f"/thanh-toan/ho-so/{dossier.code}/")
    payment = Payment.objects.get()
    assert payment.amount_vnd == 7000
    page = client.get(f"/thanh-toan/sandbox/{payment.reference}/").content.decode()
    assert "7.000" in page and "17.000" not in page


def test_the_dvcqg_payload_lists_the_fees_of_the_dossier_channel(province, residence):
    online = dong_bo_ho_so(dossier_in(province, Status.NEW_ONLINE))
    assert [(f["TenPhiLePhi"], f["MucPhi"]) for f in online["DanhSachLePhi"]] == [
        ("Lệ phí đăng ký tạm trú – trực tuyến", 7000)
    ]
    counter = dong_bo_ho_so(province.receive(now=at(0)))
    assert [f["MucPhi"] for f in counter["DanhSachLePhi"]] == [10000]
