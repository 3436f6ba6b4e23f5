"""Sync with the National Public Service Portal over real HTTP: the outbox's HttpTransport against the
in-project sandbox served by `live_server`."""

import time

import pytest
from django.urls import include, path

from motcua.dossiers import services
from motcua.interop.dvcqg import payloads
from motcua.interop.models import SandboxReceipt, SyncRecord
from motcua.outbox import services as outbox
from motcua.outbox.models import OutboxMessage
from motcua.quality import indicators
from motcua.quality.periods import month
from motcua.quality.selectors import Scope
from tests.dossiers.helpers import at

# This module is the URLconf of its tests: the sandbox, then the project (until motcua/urls.py has it).
urlpatterns = [
    path("lien-thong/", include("motcua.interop.dvcqg.urls")),
    path("", include("motcua.urls")),
]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def portal(settings, live_server) -> str:
    settings.ROOT_URLCONF = __name__
    settings.MOTCUA_DVCQG_SANDBOX = True
    settings.MOTCUA_DVCQG_URL = f"{live_server.url}/lien-thong/dvcqg-sandbox/"
    settings.MOTCUA_DVCQG_USERNAME = "motcua-h40"
    settings.MOTCUA_DVCQG_PASSWORD = "sandbox-secret"
    return settings.MOTCUA_DVCQG_URL


def receipts(service: str, *, count: int, timeout: float = 10.0) -> list[SandboxReceipt]:
    """The sandbox files a receipt just after it answers: wait for it."""
    deadline = time.monotonic() + timeout
    while True:
        found = list(SandboxReceipt.objects.filter(service=service).order_by("pk"))
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_reception_and_return_reach_the_portal(province, portal):
    dossier = province.receive(now=at(0))
    dossier = services.start_processing(dossier=dossier, acting_user=province.counter, now=at(0.5))
    dossier = services.complete_step(dossier=dossier, acting_user=province.specialist, now=at(1))
    dossier = services.approve(dossier=dossier, acting_user=province.leader, now=at(2))
    dossier = services.issue_result(dossier=dossier, acting_user=province.leader, now=at(3))
    dossier = services.return_result(dossier=dossier, acting_user=province.counter, now=at(4))

    acts = 6
    synced = receipts("DongBoHoSoMC", count=acts)
    progress = receipts("CapNhatTienDoHoSoMC", count=acts)
    assert len(synced) == acts and len(progress) == acts
    assert all(r.error_code == 0 for r in synced + progress)
    assert receipts("login", count=1)[0].body == {"username": "motcua-h40"}  # no password kept
    # Receipts are filed in whatever order the sandbox's threads get the database: key them by content.
    by_status = {r.body["data"][0]["TrangThaiHoSo"]: r.body["data"][0] for r in synced}
    assert set(by_status) == {"2", "4", "9", "10"}  # each call carries the dossier as it is then
    received = by_status["2"]
    assert received["MaHoSo"] == dossier.code and received["NgayTiepNhan"] == "20260302090000"
    assert received["KenhThucHien"] == "1" and received["DanhSachLePhi"][0]["MucPhi"] == 10000
    assert received["NgayTra"] == "" and by_status["10"]["NgayTra"] == "20260302130000"
    steps = sorted((r.body["data"][0] for r in progress), key=lambda item: item["ThoiDiemXuLy"])
    assert [item["TrangThai"] for item in steps] == ["2", "4", "4", "4", "9", "10"]
    assert steps[-1]["NguoiXuLy"] == province.counter.display_name
    assert steps[-1]["ThoiDiemXuLy"] == "20260302130000"

    records = SyncRecord.objects.filter(dossier=dossier)
    assert records.count() == 2 * acts and set(records.values_list("status", flat=True)) == {"sent"}
    assert all(r.sent_at and '"error_code": 0' in r.response for r in records)
    assert not OutboxMessage.objects.filter(topic="dvcqg.sync", dispatched_at__isnull=True).exists()

    results = {
        r.indicator.id: r
        for r in indicators.compute(scope=Scope.of(province.province), period=month(2026, 3))
    }
    assert (results["1.4"].numerator, results["1.4"].denominator) == (1, 1)
    assert results["1.4"].score == 6 and results["3.3"].has_data


def test_a_refused_call_is_kept_failed_and_retried(province, portal, monkeypatch):
    real = payloads.dong_bo_ho_so

    def without_procedure_code(dossier):
        data = real(dossier)
        del data["MaTTHC"]
        return data

    monkeypatch.setattr(payloads, "dong_bo_ho_so", without_procedure_code)
    dossier = province.receive(now=at(0))

    message = OutboxMessage.objects.get(topic="dvcqg.sync")
    assert message.dispatched_at is None and message.attempts == 1  # left for the outbox to retry
    assert "error_code 2" in message.last_error and message.available_at > message.created_at
    record = SyncRecord.objects.get(dossier=dossier)
    assert record.service == "DongBoHoSoMC" and record.status == "failed" and record.sent_at is None
    assert "thiếu trường MaTTHC" in record.response and record.attempts == 1
    assert receipts("DongBoHoSoMC", count=1)[0].error_code == 2
    assert not SandboxReceipt.objects.filter(service="CapNhatTienDoHoSoMC").exists()  # stopped there

    monkeypatch.setattr(payloads, "dong_bo_ho_so", real)  # the data is fixed; the back-off has passed
    OutboxMessage.objects.filter(pk=message.pk).update(available_at=message.created_at)
    assert outbox.dispatch_pending() == 1
    record.refresh_from_db()
    assert record.status == "sent" and record.attempts == 2 and record.payload["MaTTHC"] == "1.001193"
    assert SyncRecord.objects.get(dossier=dossier, service="CapNhatTienDoHoSoMC").status == "sent"
    assert receipts("CapNhatTienDoHoSoMC", count=1)[0].error_code == 0


def test_an_unreachable_portal_is_retried(province, settings):
    settings.MOTCUA_DVCQG_URL = "http://127.0.0.1:9/lien-thong/dvcqg-sandbox/"  # nothing listens there
    settings.MOTCUA_DVCQG_TIMEOUT = 2
    dossier = province.receive(now=at(0))
    message = OutboxMessage.objects.get(topic="dvcqg.sync")
    assert message.dispatched_at is None and "login" in message.last_error
    record = SyncRecord.objects.get(dossier=dossier)
    assert record.status == "failed" and "DVCQG login" in record.response


def test_a_bad_session_is_refused(portal):
    import json
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        portal + "DongBoHoSoMC",
        data=json.dumps({"session": "forged", "data": [{}]}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 401 and json.loads(refused.value.read())["error_code"] == 401


def test_an_expired_session_logs_in_again(province, portal):
    from motcua.interop.dvcqg.transport import HttpTransport

    transport = HttpTransport(url=portal, username="motcua-h40", password="sandbox-secret")
    transport.session = "expired"
    dossier = province.receive(now=at(0))
    response = transport.send("DongBoHoSoMC", payloads.dong_bo_ho_so(dossier))
    assert response.accepted and transport.session != "expired"
