"""The citizen's payments, withdrawal and drafts (#13 item 5): paying again after giving up a payment, an
online dossier withdrawn before reception, what an ended dossier's page says, Back after submitting, and
deleting a draft with its uploads."""

from pathlib import Path

import pytest
from django.test import Client
from django.utils.timezone import localtime

from motcua.catalog.models import Procedure
from motcua.documents.models import StoredFile
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Status
from motcua.payments.gateways import sign
from motcua.payments.models import Payment
from motcua.portal.models import Draft
from tests.backoffice.helpers import BASE as BACKOFFICE
from tests.backoffice.helpers import client_for
from tests.dossiers.helpers import at, dossier_in
from tests.portal.helpers import pdf_upload
from tests.portal.test_submission import BASE as APPLY
from tests.portal.test_submission import fill_to_components


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def citizen(client, province):
    Procedure.objects.filter(pk=province.birth.pk).update(online_level="full")
    client.force_login(province.citizen)
    return client


def callback(payment: Payment, outcome: str) -> dict[str, str]:
    fields = {"ref": payment.reference, "outcome": outcome, "amount": str(payment.amount_vnd), "txn": "GW1"}
    return fields | {"sig": sign(fields)}


# --- 1. paying again ------------------------------------------------------------------------------


def test_a_payment_given_up_is_cancelled_when_the_payer_starts_again(citizen, province):
    dossier = dossier_in(province, Status.NEW_ONLINE)
    citizen.post(f"/thanh-toan/ho-so/{dossier.code}/")
    abandoned = Payment.objects.get()
    # The payer leaves the provider's page without paying; the dossier's page offers to pay again.
    sandbox = citizen.get(f"/thanh-toan/sandbox/{abandoned.reference}/").content.decode()
    assert f'href="/ho-so-cua-toi/{dossier.code}/"' in sandbox
    page = citizen.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "Thanh toán trực tuyến" in page and "thanh toán lại" in page
    response = citizen.post(f"/thanh-toan/ho-so/{dossier.code}/")
    retry = Payment.objects.exclude(pk=abandoned.pk).get()
    assert response["Location"] == f"/thanh-toan/sandbox/{retry.reference}/"
    abandoned.refresh_from_db()
    assert (abandoned.status, abandoned.superseded_by) == (Payment.Status.CANCELLED, retry)
    assert retry.reference != abandoned.reference and retry.status == Payment.Status.PENDING
    # The old attempt's page no longer takes money.
    assert 'value="paid"' not in citizen.get(f"/thanh-toan/sandbox/{abandoned.reference}/").content.decode()
    assert citizen.get("/thanh-toan/callback/sandbox/", callback(retry, "paid")).status_code == 302
    retry.refresh_from_db()
    assert retry.status == Payment.Status.PAID and not retry.needs_refund
    assert "Đã thanh toán" in citizen.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()


def test_the_provider_still_paying_a_given_up_attempt_is_recorded_never_kept_twice(client, province):
    dossier = dossier_in(province, Status.NEW_ONLINE)
    client.force_login(province.citizen)
    client.post(f"/thanh-toan/ho-so/{dossier.code}/")
    client.post(f"/thanh-toan/ho-so/{dossier.code}/")
    retry, abandoned = Payment.objects.order_by("-pk")
    assert abandoned.status == Payment.Status.CANCELLED  # given up when the payer started again
    assert client.post("/thanh-toan/callback/sandbox/", callback(retry, "paid")).content == b"OK"
    # The payer had paid the first attempt in another tab after all: the money is recorded, to refund.
    assert client.post("/thanh-toan/callback/sandbox/", callback(abandoned, "paid")).content == b"OK"
    abandoned.refresh_from_db()
    assert abandoned.status == Payment.Status.PAID and abandoned.needs_refund
    assert Payment.objects.filter(status="paid", needs_refund=False).count() == 1
    assert dossier.events.filter(act="record_payment").count() == 1


# --- 2. withdrawal before reception -------------------------------------------------------------------


def test_an_online_dossier_is_withdrawn_before_reception(citizen, province):
    dossier = dossier_in(province, Status.NEW_ONLINE)
    counter = client_for(province.counter)
    assert dossier.code in counter.get(BACKOFFICE, {"list": "tiep-nhan"}).content.decode()
    page = citizen.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "Xác nhận rút hồ sơ" in page
    other = client_for(province.other_citizen)
    assert other.post(f"/ho-so-cua-toi/{dossier.code}/rut-ho-so/", {"reason": "x"}).status_code == 404
    response = citizen.post(f"/ho-so-cua-toi/{dossier.code}/rut-ho-so/", {"reason": "Nộp nhầm thủ tục"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN and dossier.closed_at is not None
    assert dossier.code not in counter.get(BACKOFFICE, {"list": "tiep-nhan"}).content.decode()
    assert "Xác nhận rút hồ sơ" not in citizen.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()


# --- 3. an ended dossier's page ------------------------------------------------------------------------


def test_a_withdrawn_dossier_shows_its_withdrawal_not_an_appointment_nor_a_fee_due(citizen, province):
    dossier = dossier_in(province, Status.ACCEPTED)  # an appointment was given at reception
    dossier.applicant_user = province.citizen
    dossier.save(update_fields=["applicant_user"])
    appointment = localtime(dossier.appointment_at).strftime("%d/%m/%Y %H:%M")
    assert appointment in citizen.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    services.withdraw(dossier=dossier, acting_user=province.citizen, reason="Không còn nhu cầu", now=at(1))
    page = citizen.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert appointment not in page and "Hẹn trả kết quả" not in page
    assert "Chưa thanh toán" not in page and "Thanh toán trực tuyến" not in page
    assert "Công dân rút hồ sơ lúc 02/03/2026 10:00" in page and "Không còn nhu cầu" in page
    listing = citizen.get("/ho-so-cua-toi/").content.decode()
    assert appointment not in listing


def test_a_dossier_not_accepted_shows_why(citizen, province):
    dossier = dossier_in(province, Status.NEW_ONLINE)
    services.refuse_reception(
        dossier=dossier, acting_user=province.counter, reason="Sai thẩm quyền giải quyết", now=at(1)
    )
    page = citizen.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "Không được tiếp nhận lúc 02/03/2026 10:00" in page and "Sai thẩm quyền giải quyết" in page
    assert "Chưa thanh toán" not in page and "Sẽ có khi hồ sơ được tiếp nhận" not in page


# --- 4. Back after submitting --------------------------------------------------------------------------


def submit(client, province) -> Dossier:
    fill_to_components(client, province)
    client.post(APPLY + "giay-to-1/", {"files": pdf_upload(), "action": "next"})
    client.post(APPLY + "giay-to-2/", {"action": "next"})
    client.post(APPLY + "le-phi/", {"action": "next"})
    assert client.post(APPLY + "xem-lai/", {"action": "submit"}).status_code == 302
    return Dossier.objects.get()


def test_back_after_submitting_leads_to_the_dossier_and_leaves_no_draft(citizen, province):
    dossier = submit(citizen, province)
    for page in ("xem-lai/", "le-phi/", "giay-to-1/"):  # Back, Back, Back
        response = citizen.get(APPLY + page)
        assert response["Location"] == f"/ho-so-cua-toi/{dossier.code}/"
    assert not Draft.objects.exists()
    shown = citizen.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "đã được nộp" in shown
    # The review page, still open in another tab, submitted again: no second dossier, no draft.
    assert citizen.post(APPLY + "xem-lai/", {"action": "submit"})["Location"].endswith(f"{dossier.code}/")
    assert Dossier.objects.count() == 1 and not Draft.objects.exists()


def test_pages_shown_create_no_draft_until_one_is_answered(citizen, province):
    assert citizen.get(APPLY)["Location"].endswith("/nguoi-nop/")
    assert citizen.get(APPLY + "nguoi-nop/").status_code == 200
    assert citizen.get(APPLY + "xem-lai/")["Location"].endswith("/nguoi-nop/")
    assert not Draft.objects.exists()
    # Starting again from the procedure is a new application: a draft once the first page is answered.
    submit(citizen, province)
    assert citizen.get(APPLY)["Location"].endswith("/nguoi-nop/")
    assert citizen.get(APPLY + "nguoi-nop/").status_code == 200
    assert not Draft.objects.exists()


# --- 5. deleting a draft -------------------------------------------------------------------------------


def test_a_draft_is_deleted_with_its_uploads_after_confirmation(
    citizen, province, django_capture_on_commit_callbacks
):
    fill_to_components(citizen, province)
    citizen.post(APPLY + "giay-to-1/", {"files": pdf_upload(), "action": "exit"})
    draft = Draft.objects.get()
    stored = StoredFile.objects.get()
    path = Path(stored.file.path)
    assert path.exists()
    listing = citizen.get("/ho-so-cua-toi/").content.decode()
    url = f"/ho-so-cua-toi/nhap/{draft.pk}/xoa/"
    assert f'href="{url}"' in listing
    confirm = citizen.get(url)  # asks first
    assert confirm.status_code == 200 and "Xác nhận xóa bản nháp" in confirm.content.decode()
    assert Draft.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen.post(url)
    assert response["Location"] == "/ho-so-cua-toi/"
    assert not Draft.objects.exists() and not StoredFile.objects.exists() and not path.exists()
    assert "Đã xóa hồ sơ nháp" in citizen.get("/ho-so-cua-toi/").content.decode()


def test_an_upload_a_dossier_also_holds_is_kept(citizen, province, django_capture_on_commit_callbacks):
    dossier = submit(citizen, province)  # its "to-khai.pdf" is attached to the dossier
    fill_to_components(citizen, province)
    citizen.post(APPLY + "giay-to-1/", {"files": pdf_upload(), "action": "exit"})  # the same bytes
    draft = Draft.objects.get()
    assert StoredFile.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        citizen.post(f"/ho-so-cua-toi/nhap/{draft.pk}/xoa/")
    assert not Draft.objects.exists() and StoredFile.objects.count() == 1
    assert Path(StoredFile.objects.get().file.path).exists()
    assert citizen.get(f"/ho-so-cua-toi/{dossier.code}/").status_code == 200


def test_only_ones_own_draft_and_only_by_post_with_csrf(client, province):
    Procedure.objects.filter(pk=province.birth.pk).update(online_level="full")
    client.force_login(province.citizen)
    fill_to_components(client, province)
    draft = Draft.objects.get()
    url = f"/ho-so-cua-toi/nhap/{draft.pk}/xoa/"
    other = client_for(province.other_citizen)
    assert other.get(url).status_code == 404 and other.post(url).status_code == 404
    counter = client_for(province.counter)
    assert counter.post(url).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(province.citizen)
    assert strict.post(url).status_code == 403
    assert Draft.objects.filter(pk=draft.pk).exists()
    # A submitted dossier is not a draft: its number is no draft's.
    dossier = dossier_in(province, Status.NEW_ONLINE)
    assert client.post(f"/ho-so-cua-toi/nhap/{dossier.pk + 1000}/xoa/").status_code == 404
    assert Dossier.objects.filter(pk=dossier.pk).exists()
