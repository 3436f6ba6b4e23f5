"""The DVCQG sync in batches: per dossier, DongBoHoSoMC once (the dossier as it is now) and
CapNhatTienDoHoSoMC per event in event order, in order across batches; nothing built while no portal is
configured, and what was left pending goes with the dossier's next sync once it is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.dossiers import services
from motcua.interop.dvcqg import payloads
from motcua.interop.dvcqg import services as sync_services
from motcua.interop.models import SyncRecord
from motcua.outbox import services as outbox
from motcua.outbox.models import OutboxMessage
from tests.dossiers.helpers import at
from tests.interop.stand_in import CAP_NHAT, DONG_BO, Portal, connect


@pytest.fixture
def portal(settings, monkeypatch) -> Portal:
    return connect(settings, monkeypatch)


def journey(province, **applicant):
    """Four acts on one dossier, the outbox left pending (no commit in these tests)."""
    d = province.receive(now=at(0), **applicant)
    d = services.start_processing(dossier=d, acting_user=province.counter, now=at(0.5))
    d = services.complete_step(dossier=d, acting_user=province.specialist, now=at(1))
    return services.approve(dossier=d, acting_user=province.leader, now=at(2))


def sync_messages():
    return OutboxMessage.objects.filter(topic="dvcqg.sync")


def test_a_batch_syncs_each_dossier_once_and_its_progress_in_order(province, portal):
    first = journey(province)
    second = province.receive(now=at(3), id_number="040090009999")
    assert sync_messages().count() == 5

    outbox.dispatch_pending()
    assert portal.of(first.code) == [
        (DONG_BO, "4"),
        (CAP_NHAT, "2"),
        (CAP_NHAT, "4"),
        (CAP_NHAT, "4"),
        (CAP_NHAT, "4"),
    ]
    assert portal.of(second.code) == [(DONG_BO, "2"), (CAP_NHAT, "2")]
    progress = [p["NoiDungXuLy"] for s, p in portal.calls if s == CAP_NHAT and p["MaHoSo"] == first.code]
    events = list(first.events.order_by("pk").values_list("pk", flat=True))
    records = SyncRecord.objects.filter(dossier=first, service=CAP_NHAT).order_by("pk")
    assert [r.event_id for r in records] == events and len(progress) == 4  # one per event, in order
    dong_bo = SyncRecord.objects.get(dossier=first, service=DONG_BO)  # on the dossier's latest message
    assert (
        dong_bo.status == "sent"
        and dong_bo.outbox_message == sync_messages().filter(payload__dossier_id=first.pk).last()
    )
    assert dong_bo.payload["TrangThaiHoSo"] == "4" and dong_bo.event_id == events[-1]
    assert set(SyncRecord.objects.values_list("status", flat=True)) == {"sent"}
    assert not sync_messages().filter(dispatched_at__isnull=True).exists()


def test_without_a_portal_nothing_is_built_only_recorded(province, settings, monkeypatch):
    settings.MOTCUA_DVCQG_URL = ""

    def never(*args, **kwargs):
        raise AssertionError("built or sent while sync is not configured")

    monkeypatch.setattr(payloads, "dong_bo_ho_so", never)
    monkeypatch.setattr(payloads, "cap_nhat_tien_do", never)
    monkeypatch.setattr(sync_services, "get_transport", never)
    first = journey(province)
    second = province.receive(now=at(3), id_number="040090009999")
    with CaptureQueriesContext(connection) as queries:
        outbox.dispatch_pending()
    sync_sql = [q["sql"] for q in queries if "interop_syncrecord" in q["sql"]]
    assert len(sync_sql) == 1 and sync_sql[0].startswith("INSERT")  # one INSERT
    assert not sync_messages().filter(dispatched_at__isnull=True).exists()
    records = SyncRecord.objects.all()
    assert set(records.values_list("status", flat=True)) == {"pending"}
    assert records.filter(dossier=first, service=DONG_BO).count() == 1  # once per dossier and batch
    assert records.filter(dossier=first, service=CAP_NHAT).count() == 4  # once per event
    assert records.filter(dossier=second).count() == 2
    assert records.get(dossier=second, service=DONG_BO).payload == {"MaHoSo": second.code}  # not built


def test_a_refused_call_holds_back_the_dossiers_later_calls(province, portal):
    portal.refuse = {DONG_BO}
    dossier = province.receive(now=at(0))
    outbox.dispatch_pending()
    first = sync_messages().get()
    assert first.dispatched_at is None and first.attempts == 1 and first.available_at > timezone.now()
    dossier = services.start_processing(dossier=dossier, acting_user=province.counter, now=at(0.5))
    calls = len(portal.calls)
    outbox.dispatch_pending()  # the second act's sync must not overtake the first's
    second = sync_messages().get(dispatched_at__isnull=True, pk__gt=first.pk)
    assert len(portal.calls) == calls and second.attempts == 0 and second.available_at == first.available_at
    assert "waits for the earlier sync message" in second.last_error

    portal.refuse = set()  # the portal accepts again; the back-off has passed
    sync_messages().update(available_at=first.created_at)
    portal.calls.clear()
    assert outbox.dispatch_pending() == 2
    assert portal.of(dossier.code) == [(DONG_BO, "4"), (CAP_NHAT, "2"), (CAP_NHAT, "4")]
    records = SyncRecord.objects.filter(dossier=dossier, service=DONG_BO)
    assert sorted(records.values_list("outbox_message_id", "status")) == [
        (first.pk, "superseded"),  # refused, then replaced by the dossier as it is now
        (second.pk, "sent"),
    ]


def test_a_retry_sends_only_what_was_not_accepted(province, portal):
    portal.refuse = {CAP_NHAT}
    dossier = province.receive(now=at(0))
    outbox.dispatch_pending()
    assert portal.of(dossier.code) == [(DONG_BO, "2"), (CAP_NHAT, "2")]
    portal.refuse, portal.calls = set(), []
    sync_messages().update(available_at=timezone.now())
    assert outbox.dispatch_pending() == 1
    assert portal.of(dossier.code) == [(CAP_NHAT, "2")]  # DongBoHoSoMC was accepted the first time
    record = SyncRecord.objects.get(dossier=dossier, service=CAP_NHAT)
    assert record.status == "sent" and record.attempts == 2


def test_a_new_act_sends_what_its_dossier_left_pending_first(province, settings, monkeypatch):
    settings.MOTCUA_DVCQG_URL = ""
    dossier = province.receive(now=at(0))
    outbox.dispatch_pending()
    portal = connect(settings, monkeypatch)
    dossier = services.start_processing(dossier=dossier, acting_user=province.counter, now=at(0.5))
    outbox.dispatch_pending()
    assert portal.of(dossier.code) == [(DONG_BO, "4"), (CAP_NHAT, "2"), (CAP_NHAT, "4")]
    assert not SyncRecord.objects.filter(status="pending").exists()
