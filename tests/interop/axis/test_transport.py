"""The axis transport over real HTTP against the in-project sandbox (`live_server`): tokens, signatures,
deadlines, retries through the outbox, order per dossier, and the log of every exchange."""

import json

import pytest
from django.db import transaction

from motcua.interop.axis import sandbox, transport
from motcua.interop.models import Exchange
from motcua.outbox.models import OutboxMessage
from tests.interop.axis.support import connect, retry_now, wait_for

pytestmark = pytest.mark.django_db(transaction=True)
Outcome = Exchange.Outcome


def lltp_request(code: str) -> dict:
    return {
        "maTinh": "40",
        "maHoSoMCDT": code,
        "toKhai": {"nycHoTen": "Nguyễn Văn An", "nycSoGiayTo": "040090001234"},
    }


def send(code: str, *, dossier_id: int | None = None, key: str | None = None) -> OutboxMessage:
    with transaction.atomic():  # the caller's transaction: dispatched when it commits
        return transport.call(
            "lltp.tiep_nhan", lltp_request(code), dossier_id=dossier_id, key=key or f"k-{code}"
        )


def outbound(key: str) -> list[Exchange]:
    return list(Exchange.objects.filter(direction="out", idempotency_key=key).order_by("pk"))


@pytest.fixture
def axis(settings, live_server) -> str:
    connect(settings, live_server.url)
    return live_server.url


def test_a_call_is_delivered_and_logged(axis):
    message = send("000.00.12.H40-260302-0001")

    [exchange] = outbound("k-000.00.12.H40-260302-0001")
    assert exchange.outcome == Outcome.DELIVERED and exchange.http_status == 200 and exchange.attempt == 1
    assert exchange.service == "lltp.tiep_nhan" and exchange.axis == "lgsp" and exchange.direction == "out"
    assert exchange.url == f"{axis}/lien-thong/truc-sandbox/lgsp/btp/lltp/tiepNhanHoSo"
    assert json.loads(exchange.request_body)["maHoSoMCDT"] == "000.00.12.H40-260302-0001"
    assert json.loads(exchange.response_body)["statusCode"] == "00"
    assert exchange.correlation_id == message.payload["correlation_id"]
    message.refresh_from_db()
    assert message.dispatched_at is not None
    assert [r["key"] for r in sandbox.received()] == ["k-000.00.12.H40-260302-0001"]


def test_the_token_is_fetched_once_then_again_when_refused(axis):
    send("A-1")
    send("A-2")
    assert sandbox.tokens_issued() == 1  # cached between calls

    sandbox.revoke_tokens()  # the axis no longer knows the cached token
    send("A-3")

    first, second = outbound("k-A-3")
    assert (first.http_status, first.outcome) == (401, Outcome.FAILED)
    assert (second.http_status, second.outcome, second.attempt) == (200, Outcome.DELIVERED, 2)
    assert sandbox.tokens_issued() == 2
    tokens = Exchange.objects.filter(service="lgsp.token").order_by("pk")
    assert [(t.outcome, t.http_status) for t in tokens] == [(Outcome.DELIVERED, 200)] * 2
    assert all('"access_token": "***"' in t.response_body for t in tokens)  # the token itself is not kept
    assert all(t.request_body == "grant_type=client_credentials" for t in tokens)
    assert [r["key"] for r in sandbox.received()] == ["k-A-1", "k-A-2", "k-A-3"]


def test_a_failing_axis_is_retried_by_the_outbox(axis):
    sandbox.control(fail=2)
    message = send("B-1")

    assert [e.outcome for e in outbound("k-B-1")] == [Outcome.FAILED]
    message.refresh_from_db()
    assert message.dispatched_at is None and "503" in message.last_error and message.attempts == 1

    retry_now()
    retry_now()

    assert [(e.http_status, e.attempt) for e in outbound("k-B-1")] == [(503, 1), (503, 2), (200, 3)]
    message.refresh_from_db()
    assert message.dispatched_at is not None and message.attempts == 3
    assert len(sandbox.received()) == 1  # the ministry got it once


def test_a_call_past_its_deadline_ends_then_is_retried_once(settings, live_server):
    connect(settings, live_server.url, timeout=0.5)
    sandbox.control(slow=1, delay=3.0)  # answers after 3 s: longer than the 0.5 s deadline
    message = send("C-1")

    [timed_out] = outbound("k-C-1")
    assert timed_out.outcome == Outcome.TIMEOUT and timed_out.http_status is None
    assert timed_out.duration_ms < 2500  # cut at the deadline, not when the sandbox answered
    message.refresh_from_db()
    assert message.dispatched_at is None

    # The sandbox handled the first call after all: the retry, with the same idempotency key, gets its
    # answer again, and the ministry is not asked twice.
    assert wait_for(lambda: len(sandbox.received()) == 1)
    retry_now()

    assert [e.outcome for e in outbound("k-C-1")] == [Outcome.TIMEOUT, Outcome.DELIVERED]
    assert len(sandbox.received()) == 1


def test_a_delivered_call_is_not_made_again(axis):
    message = send("D-1")
    OutboxMessage.objects.filter(pk=message.pk).update(dispatched_at=None)  # as if the bookkeeping was lost

    retry_now()

    assert len(outbound("k-D-1")) == 1 and len(sandbox.received()) == 1


def test_a_later_call_of_a_dossier_waits_for_the_earlier_one(axis, province):
    dossier = province.receive()
    sandbox.control(fail=1)
    with transaction.atomic():
        first = transport.call("lltp.tiep_nhan", lltp_request("E-1"), dossier_id=dossier.pk, key="E-first")
        second = transport.call("lltp.tiep_nhan", lltp_request("E-2"), dossier_id=dossier.pk, key="E-second")

    assert [e.outcome for e in outbound("E-first")] == [Outcome.FAILED]
    assert outbound("E-second") == []  # not sent: it would overtake the first
    second.refresh_from_db()
    assert second.dispatched_at is None and "waits for the earlier axis call" in second.last_error
    assert second.attempts == 0

    retry_now()

    assert [r["key"] for r in sandbox.received()] == ["E-first", "E-second"]
    assert {
        m.dispatched_at is not None for m in OutboxMessage.objects.filter(pk__in=[first.pk, second.pk])
    } == {True}
    assert Exchange.objects.filter(dossier=dossier, outcome=Outcome.DELIVERED).count() == 2


def test_nothing_is_sent_nor_claimed_sent_without_an_axis(settings, live_server):
    connect(settings, live_server.url)
    settings.MOTCUA_AXES = {}
    message = send("F-1")

    [exchange] = outbound("k-F-1")
    assert exchange.outcome == Outcome.NOT_CONFIGURED and exchange.http_status is None
    message.refresh_from_db()
    assert message.dispatched_at is None and message.attempts == 0
    assert sandbox.received() == []

    retry_now()  # still not configured: logged once, still waiting
    assert len(outbound("k-F-1")) == 1


def test_a_client_the_axis_does_not_know_gets_no_token_and_sends_nothing(settings, live_server):
    connect(settings, live_server.url)
    settings.MOTCUA_AXES["lgsp"]["client_secret"] = "wrong"
    message = send("G-1")

    assert {e.outcome for e in outbound("k-G-1")} == {Outcome.UNREACHABLE}
    tokens = Exchange.objects.filter(service="lgsp.token")
    assert {(t.outcome, t.http_status) for t in tokens} == {(Outcome.REFUSED, 401)}
    message.refresh_from_db()
    assert message.dispatched_at is None and "token" in message.last_error
    assert sandbox.received() == [] and sandbox.tokens_issued() == 0
