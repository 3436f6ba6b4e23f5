"""The citizen gives and withdraws their consent to Zalo notifications on their portal account; each change
is a dated row, the latest deciding (issue #19)."""

import pytest

from motcua.core import consent
from motcua.core.errors import PermissionDenied
from motcua.core.models import ZaloConsent
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db

PAGE = "/tai-khoan/zalo/"


def test_the_citizen_gives_then_withdraws_consent_on_their_account(province):
    client = client_for(province.citizen)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Bạn chưa đồng ý nhận thông báo qua Zalo" in page.content.decode()
    assert consent.current(province.citizen.pk) is None

    given = client.post(PAGE, {"action": "give", "phone": "+84 912 345 678"}, follow=True)
    assert "Bạn đã đồng ý nhận thông báo về hồ sơ qua Zalo." in given.content.decode()
    assert "Bạn đang nhận thông báo qua Zalo tại số 0912345678" in given.content.decode()
    now = consent.current(province.citizen.pk)
    assert now is not None and now.phone == "0912345678" and now.at is not None

    withdrawn = client.post(PAGE, {"action": "withdraw", "phone": ""}, follow=True)
    assert "Bạn đã rút lại đồng ý nhận thông báo qua Zalo." in withdrawn.content.decode()
    assert consent.current(province.citizen.pk) is None
    rows = list(
        ZaloConsent.objects.filter(user=province.citizen).order_by("pk").values_list("given", "phone")
    )
    assert rows == [(True, "0912345678"), (False, "")]


def test_a_wrong_number_records_nothing(province):
    response = client_for(province.citizen).post(PAGE, {"action": "give", "phone": "12345"})
    assert response.status_code == 400
    assert "Số điện thoại Zalo chưa đúng (ví dụ 0912345678)." in response.content.decode()
    assert not ZaloConsent.objects.exists()


def test_only_a_citizen_account_consents(province):
    assert client_for(province.counter).get(PAGE).status_code == 403
    assert client_for(None).get(PAGE).status_code == 302
    with pytest.raises(PermissionDenied):
        consent.set_zalo_consent(user=province.counter, given=True, phone="0912345678")
    assert not ZaloConsent.objects.exists()
