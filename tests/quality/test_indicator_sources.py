"""Decision 766 indicators 4.2, 4.3, 5.1, 5.2, 5.4, 5.5 and 6.3 from payments, e-results, the e-data store
and ratings, on a hand-built scenario made through the real services.

On Mon 02/03/2026, for the same applicant:
- `paid`: birth registration (fee 10 000 đ), a scan attached, finished, paid online, e-result issued (so
  saved to the applicant's data store);
- `unrated`: birth registration, finished, no e-result, no payment, rated "not satisfied";
- `open`: birth registration, processing, not paid;
- `reuser`: nationality (its fee made unpublished: not fee-bearing), received at the center without the birth
  certificate, which the system takes from the data store (the e-result of `paid`).
The period is 02–03/03/2026: every open dossier is still in time.
"""

from dataclasses import dataclass, replace
from datetime import date

import pytest

from motcua.catalog.models import Fee, ProcedureComponent
from motcua.documents import services as documents
from motcua.documents.models import (
    ComponentDocumentType,
    DataStoreItem,
    DataStoreReuse,
    DocumentType,
    ElectronicResult,
    ProcedureResultType,
)
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.states import Status
from motcua.intake.services import receive_at_counter
from motcua.payments import services as payments
from motcua.payments.gateways import CallbackResult
from motcua.payments.models import Payment
from motcua.portal import services as portal
from motcua.quality import indicators, services
from motcua.quality.models import Rating
from motcua.quality.periods import custom, month
from motcua.quality.selectors import Scope
from tests.dossiers.helpers import at, dossier_in
from tests.factories import Province
from tests.support.pdfs import scanned_pdf

PERIOD = custom(date(2026, 3, 2), date(2026, 3, 3))


def pay_online(p: Province, dossier: Dossier) -> Payment:
    dossier.applicant_user = p.citizen
    dossier.save(update_fields=["applicant_user"])
    payment, _url = payments.start_payment(dossier=dossier, acting_user=p.citizen, provider="sandbox")
    result = CallbackResult(
        reference=payment.reference,
        outcome="paid",
        amount_vnd=payment.amount_vnd,
        provider_ref="SBX1",
        data={},
    )
    return payments.settle(provider="sandbox", result=result).payment


@dataclass
class Scenario:
    paid: Dossier
    unrated: Dossier
    open: Dossier
    reuser: Dossier


@pytest.fixture
def scenario(province, settings, tmp_path) -> Scenario:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_PKI_DIR = tmp_path / "pki"
    p = province
    gks = DocumentType.objects.create(code="GKS", name="Giấy khai sinh")
    ProcedureResultType.objects.create(procedure=p.birth, document_type=gks)
    birth_certificate = ProcedureComponent.objects.create(
        procedure=p.nationality, position=3, name="Giấy khai sinh", form="copy"
    )
    ComponentDocumentType.objects.create(procedure_component=birth_certificate, document_type=gks)
    Fee.objects.filter(procedure=p.nationality).update(amount_vnd=None)  # paid at the counter only

    paid = dossier_in(p, Status.FINISHED)
    stored = documents.store_upload(uploaded=scanned_pdf(text="Ban quet to khai"), acting_user=p.counter)
    documents.attach_files(
        component=paid.components.get(name="Tờ khai"), files=[stored], acting_user=p.counter
    )
    assert pay_online(p, paid).status == Payment.Status.PAID
    documents.issue_electronic_result(dossier=paid, acting_user=p.leader)

    unrated = dossier_in(p, Status.FINISHED)
    portal.rate(
        dossier=unrated,
        satisfied=False,
        attitude=2,
        timeliness=1,
        guidance=2,
        comment="Chậm",
        acting_user=None,
    )
    Rating.objects.update(created_at=at(6))  # given on 02/03 (the rating is stamped with the real clock)
    open_ = dossier_in(p, Status.PROCESSING)

    intake = p.intake(p.nationality, p.center)
    intake = replace(
        intake, components=[c for c in intake.components if c.component_id != birth_certificate.pk]
    )
    reuser = receive_at_counter(
        intake=intake, channel=Channel.COUNTER, acting_user=p.center_counter, now=at(5)
    )

    # What the scenario claims, checked on the raw rows.
    assert not ElectronicResult.objects.filter(dossier=unrated).exists()
    assert list(DataStoreReuse.objects.values_list("dossier_id", flat=True)) == [reuser.pk]
    assert DataStoreItem.objects.get(source=DataStoreItem.Source.RESULT).source_dossier == paid
    services.rebuild()
    return Scenario(paid=paid, unrated=unrated, open=open_, reuser=reuser)


def computed(scope: Scope, period=PERIOD) -> dict:
    return {r.indicator.id: r for r in indicators.compute(scope=scope, period=period)}


def pair(r) -> tuple:
    return (r.numerator, r.denominator)


def test_province_numerators_and_denominators(province, scenario):
    r = computed(Scope.of(province.province))
    # 4.2: fee-bearing procedures birth and inter-agency (nationality's fee has no amount); birth was paid.
    assert pair(r["4.2"]) == (1, 2) and r["4.2"].score == pytest.approx(3 * 0.5)
    # 4.3: paid / fee-bearing received (the nationality dossier is not fee-bearing); T 80%.
    assert pair(r["4.3"]) == (1, 3) and r["4.3"].score == pytest.approx((1 / 3) * 4 / 0.8)
    # 5.1, 5.2: of the two with a result, one has an e-result (and a scanned input).
    assert pair(r["5.1"]) == (1, 2) and r["5.1"].score == pytest.approx(3)
    assert pair(r["5.2"]) == (1, 2) and r["5.2"].score == pytest.approx(0.5 * 4 / 0.8)  # T 80%
    # 5.4: one received dossier reused data; 5.5: that one plus the one whose e-result went to the store.
    assert pair(r["5.4"]) == (1, 4) and r["5.4"].score == pytest.approx(0.25 * 2 / 0.8)  # T 80%
    assert pair(r["5.5"]) == (2, 4) and r["5.5"].score == pytest.approx(2)
    # 6.3: 2 settled + 2 in progress, none late or overdue, one "not satisfied": 100% − (0 + 1/4).
    assert pair(r["6.3"]) == (3, 4) and r["6.3"].score == pytest.approx(0.75 * 6 / 0.9)  # T 90%
    for key in ("4.2", "4.3", "5.1", "5.2", "5.4", "5.5", "6.3"):
        assert r[key].has_data and not r[key].indicator.missing
    # Without a source: still "chưa có dữ liệu", with the reason, never a number.
    for key in ("4.1", "5.3", "5.6", "5.7", "6.1", "6.2"):
        assert r[key].numerator is None and r[key].score is None and r[key].indicator.missing


def test_a_commune_sees_only_its_dossiers(province, scenario):
    r = computed(Scope.of(province.commune))
    assert pair(r["4.2"]) == (1, 2)  # commune-level procedures: birth and inter-agency
    assert pair(r["4.3"]) == (1, 3)
    assert pair(r["5.1"]) == (1, 2)
    assert pair(r["5.4"]) == (0, 3)  # the reusing dossier was received at the center
    assert pair(r["5.5"]) == (1, 3)
    assert pair(r["6.3"]) == (2, 3)
    other = computed(Scope.of(province.other_commune))
    assert pair(other["4.2"]) == (0, 2) and other["4.2"].score == 0
    for key in ("4.3", "5.1", "5.2", "5.4", "5.5", "6.3"):
        assert other[key].numerator is None and other[key].score is None
        assert not other[key].has_data and other[key].indicator.missing


def test_overdue_dossiers_count_against_6_3(province, scenario):
    r = computed(Scope.of(province.province), period=month(2026, 3))
    # At 31/03 the birth dossier (3 days) and the nationality one (5 days) are overdue.
    assert pair(r["6.3"]) == (1, 4)
    assert r["2.1"].denominator == 4


def test_a_period_without_dossiers_has_no_data(province, scenario):
    r = computed(Scope.of(province.province), period=month(2026, 2))
    assert pair(r["4.2"]) == (0, 2)  # procedures with fees exist; none was paid online in February
    reasons = {
        "4.3": indicators.NO_FEE_DOSSIER,
        "5.1": indicators.NO_RESULT,
        "5.2": indicators.NO_RESULT,
        "5.4": indicators.NO_RECEIVED,
        "5.5": indicators.NO_RECEIVED,
        "6.3": indicators.NO_PROCESSED,
    }
    for key, reason in reasons.items():
        assert r[key].numerator is None and r[key].score is None and r[key].indicator.missing == reason


def test_no_fee_bearing_dossier_is_no_data_not_zero(province, scenario):
    Fee.objects.update(amount_vnd=None)
    r = computed(Scope.of(province.province))
    assert r["4.2"].numerator is None and r["4.2"].indicator.missing == indicators.NO_FEE_PROCEDURE
    assert r["4.3"].numerator is None and r["4.3"].indicator.missing == indicators.NO_FEE_DOSSIER
    assert pair(r["5.4"]) == (1, 4)


def test_a_failed_payment_is_not_a_payment(province, scenario):
    p = province
    dossier = dossier_in(p, Status.PROCESSING)
    dossier.applicant_user = p.citizen
    dossier.save(update_fields=["applicant_user"])
    payment, _url = payments.start_payment(dossier=dossier, acting_user=p.citizen, provider="sandbox")
    failed = CallbackResult(
        reference=payment.reference,
        outcome="failed",
        amount_vnd=payment.amount_vnd,
        provider_ref="X",
        data={},
    )
    payments.settle(provider="sandbox", result=failed)
    services.rebuild()
    assert pair(computed(Scope.of(p.province))["4.3"]) == (1, 4)


def test_the_dashboard_shows_the_new_figures_and_reasons(client, province, scenario):
    client.force_login(province.admin)
    page = client.get("/chat-luong/?kind=month&month=3&year=2026").content.decode()
    assert "Hồ sơ thanh toán trực tuyến" in page and "Tính theo hồ sơ" in page
    assert str(indicators.NO_FEEDBACK) in page  # 6.1, 6.2: no complaints module
