"""The outbox in batches: an act writes its rows in one statement; workers claim batches under a lease and
run the handlers outside the claim; each side effect is retried on its own; the statistics of a batch are
refreshed in one call."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.dossiers import events, services
from motcua.dossiers.states import Act
from motcua.interop import handlers, sms
from motcua.interop.models import Notification, SyncRecord
from motcua.outbox import services as outbox
from motcua.outbox.models import OutboxMessage
from motcua.quality import services as quality_services
from motcua.quality.models import DossierFact
from tests.concurrency import run_at_once
from tests.dossiers.helpers import at

TOPIC = "test.count"
OUTBOX_INSERT = 'INSERT INTO "interop_outboxmessage"'


def queue(count: int) -> list[int]:
    rows = [OutboxMessage(topic=TOPIC, payload={"n": n}, available_at=timezone.now()) for n in range(count)]
    return [m.pk for m in OutboxMessage.objects.bulk_create(rows)]


@pytest.fixture
def handled(monkeypatch) -> list[int]:
    """The ids of the `test.count` messages handled, in order (from any thread)."""
    seen: list[int] = []
    lock = threading.Lock()

    def handler(message):
        time.sleep(0.002)  # long enough for two workers to overlap
        with lock:
            seen.append(message.pk)

    monkeypatch.setitem(outbox._handlers, TOPIC, handler)
    return seen


def test_an_act_records_its_event_and_all_its_outbox_rows_in_two_statements(province):
    dossier = province.receive(now=at(0))
    earlier = list(OutboxMessage.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        event = events.record(
            dossier=dossier, act=Act.RECEIVE, from_status=None, actor=province.counter, at=at(0)
        )
    statements = [q["sql"] for q in queries]
    # The event, then one INSERT of the notification, the portal sync and the statistics refresh (the
    # receivers are handed the event: none reads it back).
    assert len(statements) == 2, statements
    assert statements[1].startswith(OUTBOX_INSERT)
    rows = OutboxMessage.objects.exclude(pk__in=earlier)
    assert sorted(rows.values_list("topic", flat=True)) == [
        "dvcqg.sync",
        "notify.applicant",
        "quality.refresh",
    ]
    assert rows.get(topic="dvcqg.sync").payload["event_id"] == event.pk


def test_a_service_act_inserts_outbox_rows_once(province):
    dossier = province.receive(now=at(0))
    with CaptureQueriesContext(connection) as queries:
        services.start_processing(dossier=dossier, acting_user=province.counter, now=at(0.5))
    assert sum(q["sql"].startswith(OUTBOX_INSERT) for q in queries) == 1
    assert OutboxMessage.objects.count() == 3 + 2  # reception: 3 rows; starting (not notified): 2


def test_an_enqueue_outside_an_act_is_written_at_once(db):
    message = outbox.enqueue("no.such.topic", {"x": 1})
    assert message.pk is not None and OutboxMessage.objects.get(pk=message.pk).payload == {"x": 1}


def test_nothing_is_written_when_the_act_fails_inside_the_block(db):
    with pytest.raises(RuntimeError), transaction.atomic(), outbox.collected():
        outbox.enqueue(TOPIC, {})
        raise RuntimeError("the act failed")
    assert not OutboxMessage.objects.exists()


def test_messages_are_claimed_oldest_first_in_batches(db, handled):
    ids = queue(5)
    assert outbox.dispatch_pending(limit=2) == 2 and handled == ids[:2]
    assert outbox.dispatch_pending(limit=10) == 3 and handled == ids
    assert outbox.dispatch_pending() == 0


def test_a_claimed_message_waits_for_its_lease_to_end(db, handled):
    ids = queue(3)
    claimed, _lease = outbox._claim(2)  # a worker claims two, then dies
    assert [m.pk for m in claimed] == ids[:2]
    assert outbox.dispatch_pending() == 1 and handled == [ids[2]]  # the others leave them alone
    OutboxMessage.objects.filter(pk__in=ids[:2]).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert outbox.dispatch_pending() == 2 and sorted(handled) == ids  # the lease ran out: claimed again
    assert set(OutboxMessage.objects.filter(pk__in=ids[:2]).values_list("attempts", flat=True)) == {2}


def test_a_message_put_off_waits_without_counting_an_attempt(db, monkeypatch):
    later = timezone.now() + timedelta(minutes=3)

    def not_yet(message):
        raise outbox.Later(later, "an earlier one first")

    monkeypatch.setitem(outbox._handlers, TOPIC, not_yet)
    (pk,) = queue(1)
    assert outbox.dispatch_pending() == 0
    message = OutboxMessage.objects.get(pk=pk)
    assert message.attempts == 0 and message.available_at == later and message.claimed_until is None
    assert message.dispatched_at is None and message.last_error == "an earlier one first"


@pytest.mark.django_db(transaction=True)
def test_two_workers_handle_each_message_exactly_once(handled):
    ids = queue(60)

    def worker() -> int:
        count = 0
        while dispatched := outbox.dispatch_pending(limit=7):
            count += dispatched
        return count

    outcomes = run_at_once(worker, worker)
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert sum(outcomes) == 60 and sorted(handled) == ids  # each once
    assert not OutboxMessage.objects.filter(dispatched_at__isnull=True).exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_skips_the_rows_another_one_is_claiming(handled):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED: PostgreSQL only (SQLite has a single writer)")
    ids = queue(3)
    locked, release = threading.Event(), threading.Event()

    def claiming():  # another worker inside its claim transaction, holding the oldest row
        try:
            with transaction.atomic():
                list(OutboxMessage.objects.select_for_update().filter(pk=ids[0]))
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    other = threading.Thread(target=claiming)
    other.start()
    try:
        assert locked.wait(timeout=30)
        started = time.monotonic()
        assert outbox.dispatch_pending() == 2 and handled == ids[1:]  # not waiting for the lock
        assert time.monotonic() - started < 5
    finally:
        release.set()
        other.join(timeout=30)
    assert outbox.dispatch_pending() == 1 and handled == [*ids[1:], ids[0]]


def test_a_failing_channel_is_not_repeated_nor_the_other_side_effects(province, settings, monkeypatch):
    settings.MOTCUA_SMS_BACKEND = "motcua.interop.sms.MemorySms"
    sms.MemorySms.outbox.clear()
    real_send_mail, refreshes = handlers.send_mail, []

    def smtp_down(*args, **kwargs):
        raise ConnectionError("SMTP down")

    real_refresh = quality_services.refresh_dossiers
    monkeypatch.setattr(
        quality_services, "refresh_dossiers", lambda ids: refreshes.append(ids) or real_refresh(ids)
    )
    monkeypatch.setattr(handlers, "send_mail", smtp_down)
    dossier = province.receive(now=at(0))
    assert outbox.dispatch_pending() == 2  # the portal sync (pending: not configured) and the statistics
    message = OutboxMessage.objects.get(topic="notify.applicant")
    assert message.dispatched_at is None and "SMTP down" in message.last_error
    assert len(sms.MemorySms.outbox) == 1 and Notification.objects.filter(channel="sms").count() == 1

    monkeypatch.setattr(handlers, "send_mail", real_send_mail)  # the mail server is back; back-off passed
    OutboxMessage.objects.filter(pk=message.pk).update(available_at=message.created_at)
    assert outbox.dispatch_pending() == 1
    assert len(sms.MemorySms.outbox) == 1  # the SMS went out once
    assert len(mail.outbox) == 1 and Notification.objects.filter(channel="email").count() == 1
    assert len(refreshes) == 1 and SyncRecord.objects.filter(dossier=dossier).count() == 2


def test_the_statistics_of_a_batch_are_refreshed_in_one_call(province, monkeypatch):
    calls = []
    real_refresh = quality_services.refresh_dossiers
    monkeypatch.setattr(
        quality_services, "refresh_dossiers", lambda ids: calls.append(ids) or real_refresh(ids)
    )
    first = province.receive(now=at(0))
    first = services.start_processing(dossier=first, acting_user=province.counter, now=at(0.5))
    first = services.complete_step(dossier=first, acting_user=province.specialist, now=at(1))
    second = province.receive(now=at(1.5), id_number="040090009999")
    assert OutboxMessage.objects.filter(topic="quality.refresh").count() == 4

    outbox.dispatch_pending()
    assert [sorted(ids) for ids in calls] == [sorted([first.pk, second.pk])]
    facts = dict(DossierFact.objects.values_list("dossier_id", "status"))
    assert facts == {first.pk: first.status, second.pk: second.status}
    assert not OutboxMessage.objects.filter(dispatched_at__isnull=True).exists()
