"""The back office lists the publication decisions for every officer; citizens are refused."""

from datetime import date

from motcua.catalog import publication
from tests.support.clients import client_for

URL = "/can-bo/quyet-dinh-cong-bo/"


def test_officers_see_each_decision_with_what_it_did(province, client):
    decision = publication.record_decision(
        number="40/QĐ-UBND",
        signed_on=date(2026, 3, 2),
        signer="Chủ tịch UBND tỉnh",
        effective_on=date(2026, 3, 16),
        legal_basis_effective_on=date(2026, 3, 9),
        acting_user=None,
    )
    publication.amend(
        procedure=province.birth, changes={"name": "Khai sinh"}, decision=decision, today=date(2026, 3, 2)
    )
    publication.abolish(procedure=province.nationality, decision=decision, today=date(2026, 3, 2))
    page = client_for(province.specialist).get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    for shown in ("40/QĐ-UBND", "02/03/2026", "16/03/2026", "09/03/2026", "Chưa công khai", "Khai sinh"):
        assert shown in text, shown
    assert "Sửa đổi, bổ sung" in text and "Bãi bỏ" in text and "1.005136" in text
    assert f'href="{URL}">Quyết định công bố thủ tục</a>' in text  # in the back office's navigation

    client.force_login(province.citizen)
    assert client.get(URL).status_code == 403
