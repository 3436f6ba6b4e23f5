"""Side effects are recorded with the change and dispatched after commit, retried when they fail."""

import contextlib

from django.core import mail

from motcua.interop.models import Notification
from motcua.outbox import services as outbox
from motcua.outbox.models import OutboxMessage
from tests.dossiers.helpers import at


def test_applicant_is_notified_after_commit(province, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = province.receive(now=at(0))
    message = OutboxMessage.objects.get(topic="notify.applicant")
    assert message.dispatched_at is not None and message.payload["code"] == dossier.code
    notification = Notification.objects.get(channel="email")
    assert Notification.objects.get(channel="sms").recipient == "*******678"  # logs carry no full number
    assert notification.recipient == "an@example.vn" and dossier.code in notification.subject
    assert len(mail.outbox) == 1 and "Hẹn trả kết quả" in mail.outbox[0].body


def test_nothing_is_sent_when_the_act_is_refused(province, django_capture_on_commit_callbacks):
    from motcua.core.errors import DomainError
    from motcua.dossiers import services

    with django_capture_on_commit_callbacks(execute=True), contextlib.suppress(DomainError):
        services.receive(
            intake=province.intake(id_number="123"), channel="counter", acting_user=province.counter
        )
    assert not OutboxMessage.objects.exists() and mail.outbox == []  # nothing at all was recorded


def test_failed_handler_is_kept_and_retried(province, monkeypatch):
    calls = []

    def flaky(message):
        calls.append(message.pk)
        if len(calls) == 1:
            raise ConnectionError("SMTP down")

    monkeypatch.setitem(outbox._handlers, "notify.applicant", flaky)
    province.receive(now=at(0))
    outbox.dispatch_pending()  # the notification fails; other side effects (statistics) go through
    message = OutboxMessage.objects.get(topic="notify.applicant")
    assert message.dispatched_at is None and message.attempts == 1 and "SMTP down" in message.last_error
    assert not OutboxMessage.objects.filter(dispatched_at__isnull=True).exclude(pk=message.pk).exists()
    OutboxMessage.objects.filter(pk=message.pk).update(available_at=message.created_at)  # back-off passed
    assert outbox.dispatch_pending() == 1
    message.refresh_from_db()
    assert message.dispatched_at is not None and len(calls) == 2


def test_a_message_nobody_handles_is_kept_not_lost(province):
    message = outbox.enqueue("no.such.topic", {"x": 1})
    assert outbox.dispatch_pending() == 0  # nothing was dispatched
    message.refresh_from_db()
    assert message.dispatched_at is None and "no outbox handler" in message.last_error
