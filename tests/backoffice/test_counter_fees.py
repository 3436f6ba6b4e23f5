"""The counter is offered to record a payment only for a dossier that owes a fee."""

from motcua.catalog.models import Fee
from tests.backoffice.helpers import client_for, dossier_url

RECORD = "xu-ly/record-payment/"


def page_of(province, dossier) -> str:
    return client_for(province.counter).get(dossier_url(dossier)).content.decode()


def test_record_payment_is_offered_for_a_fee(province):
    dossier = province.receive()  # birth registration: 10.000 đồng
    assert RECORD in page_of(province, dossier)


def test_record_payment_is_not_offered_on_a_free_procedure(province):
    # Like marriage registration: no fee, and a copy fee due only on request, its amount not published.
    province.birth.fees.update(amount_vnd=0)
    Fee.objects.create(
        procedure=province.birth,
        position=2,
        name="Phí cấp bản sao Trích lục (nếu có yêu cầu)",
        amount_vnd=None,
    )
    dossier = province.receive()
    assert RECORD not in page_of(province, dossier)


def test_an_unpublished_fee_is_still_recorded(province):
    province.birth.fees.update(amount_vnd=None)  # set case by case: the counter records what it took
    assert RECORD in page_of(province, province.receive())
