"""Zalo OA notifications over real HTTP (issue #19): the ZNS adapter against the in-project sandbox served by
`live_server` — delivered once with the tracking link, retried when the sandbox fails or times out, nothing
duplicated when it answers twice or the outbox dispatches the message again, nothing sent without the
account's consent."""

import json
import urllib.request

import pytest
from django.core import mail
from django.urls import include, path

from motcua.core import consent
from motcua.interop import zalo
from motcua.interop.handlers import notify_applicant
from motcua.interop.models import Notification
from motcua.interop.zalo_sandbox import controls, delivered
from motcua.outbox import services as outbox
from motcua.outbox.models import OutboxMessage
from tests.dossiers.helpers import at

# This module is the URLconf of its tests: the sandbox, then the project.
urlpatterns = [
    path("lien-thong/", include("motcua.interop.zalo_sandbox")),
    path("", include("motcua.urls")),
]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sandbox(settings, live_server) -> str:
    settings.ROOT_URLCONF = __name__
    settings.MOTCUA_ZALO_SANDBOX = True
    settings.MOTCUA_ZALO_BACKEND = "motcua.interop.zalo.ZnsZalo"
    settings.MOTCUA_ZALO_URL = f"{live_server.url}/lien-thong/zalo-sandbox/message/template"
    settings.MOTCUA_ZALO_ACCESS_TOKEN = "sandbox-oa-token"
    settings.MOTCUA_ZALO_TEMPLATE_ID = "246810"
    settings.MOTCUA_ZALO_TIMEOUT = 1
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.nghean.gov.vn"
    return f"{live_server.url}/lien-thong/zalo-sandbox/"


def set_faults(url: str, **faults: int) -> None:
    request = urllib.request.Request(
        f"{url}controls", data=json.dumps(faults).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert json.load(answer)["controls"] == {"fail": 0, "timeout": 0, "twice": 0} | faults


def submitted(province):
    """An online dossier of the citizen's account (SUBMIT_ONLINE is notified), and its outbox message."""
    from motcua.dossiers import services

    dossier = services.submit_online(intake=province.intake(), acting_user=province.citizen, now=at(0))
    return dossier, OutboxMessage.objects.get(topic="notify.applicant")


def zalo_rows() -> list[Notification]:
    return list(Notification.objects.filter(channel="zalo"))


def test_delivered_once_with_the_tracking_link(province, sandbox):
    consent.set_zalo_consent(user=province.citizen, given=True, phone="0912 345 678")
    dossier, message = submitted(province)

    sent = delivered()
    assert len(sent) == 1
    assert sent[0]["phone"] == "84912345678" and sent[0]["template_id"] == "246810"
    assert sent[0]["tracking_id"] == f"motcua-{message.pk}-zalo"
    data = sent[0]["template_data"]
    assert data["ma_ho_so"] == dossier.code
    assert data["lien_ket"] == f"https://dichvucong.nghean.gov.vn/tra-cuu/?ma={dossier.code}"
    assert data["noi_dung"].startswith(f"Hồ sơ {dossier.code}")  # with its Vietnamese marks
    message.refresh_from_db()
    assert message.dispatched_at is not None
    (row,) = zalo_rows()
    assert row.dossier_code == dossier.code and row.recipient == "********678"
    assert row.subject == sent[0]["msg_id"]
    kept = json.loads(row.body)
    assert kept["request"]["phone"] == "********678" and kept["request"]["template_data"] == data
    assert kept["answer"]["error"] == 0 and kept["answer"]["data"]["msg_id"] == sent[0]["msg_id"]

    notify_applicant(message)  # the outbox dispatches the same message again
    assert len(delivered()) == 1 and len(zalo_rows()) == 1
    assert len(mail.outbox) == 1  # nor the email


def test_not_sent_without_the_accounts_consent(province, sandbox):
    submitted(province)
    assert delivered() == [] and zalo_rows() == []
    assert Notification.objects.filter(channel="email").count() == 1  # the other channels still go

    consent.set_zalo_consent(user=province.citizen, given=True, phone="0912345678")
    consent.set_zalo_consent(user=province.citizen, given=False)
    submitted_again = OutboxMessage.objects.count()
    from motcua.dossiers import services

    services.submit_online(intake=province.intake(), acting_user=province.citizen, now=at(1))
    assert OutboxMessage.objects.count() > submitted_again
    assert delivered() == [] and zalo_rows() == []


def test_retried_when_the_sandbox_fails(province, sandbox):
    consent.set_zalo_consent(user=province.citizen, given=True, phone="0912345678")
    set_faults(sandbox, fail=1)
    _dossier, message = submitted(province)
    message.refresh_from_db()
    assert message.dispatched_at is None and message.attempts == 1
    assert "HTTP 503" in message.last_error
    assert delivered() == [] and zalo_rows() == []
    assert len(mail.outbox) == 1  # the email went, and is recorded

    OutboxMessage.objects.filter(pk=message.pk).update(available_at=message.created_at)
    assert outbox.dispatch_pending() == 1
    assert len(delivered()) == 1 and len(zalo_rows()) == 1
    assert len(mail.outbox) == 1  # not sent again with the retry


def test_retried_when_the_sandbox_times_out(province, sandbox):
    consent.set_zalo_consent(user=province.citizen, given=True, phone="0912345678")
    set_faults(sandbox, timeout=1)
    _dossier, message = submitted(province)
    message.refresh_from_db()
    assert message.dispatched_at is None and "no complete answer within 1 s" in message.last_error
    assert zalo_rows() == []

    OutboxMessage.objects.filter(pk=message.pk).update(available_at=message.created_at)
    assert outbox.dispatch_pending() == 1
    assert len(delivered()) == 1 and len(zalo_rows()) == 1
    assert controls() == {"fail": 0, "timeout": 0, "twice": 0}


def test_nothing_duplicated_when_the_sandbox_answers_twice(province, sandbox):
    consent.set_zalo_consent(user=province.citizen, given=True, phone="0912345678")
    set_faults(sandbox, twice=1)
    _dossier, message = submitted(province)
    message.refresh_from_db()
    assert message.dispatched_at is not None and message.attempts <= 1
    (sent,) = delivered()
    (row,) = zalo_rows()
    assert row.subject == sent["msg_id"]
    notify_applicant(message)
    assert len(delivered()) == 1 and len(zalo_rows()) == 1


def test_the_sandbox_is_off_unless_switched_on(settings, live_server):
    settings.ROOT_URLCONF = __name__
    settings.MOTCUA_ZALO_SANDBOX = False
    request = urllib.request.Request(
        f"{live_server.url}/lien-thong/zalo-sandbox/message/template", data=b"{}", method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 404


def test_the_logging_adapter_is_the_default(settings):
    assert zalo.DEFAULT_BACKEND == "motcua.interop.zalo.LoggingZalo"
    del settings.MOTCUA_ZALO_BACKEND
    assert isinstance(zalo.sender(), zalo.LoggingZalo)
