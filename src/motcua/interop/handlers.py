"""Outbox handlers: notifications to applicants (SMS, email); their texts are in `interop.notifications`."""

from django.core.mail import send_mail

from motcua.interop import sms
from motcua.interop.models import Notification, OutboxMessage
from motcua.interop.notifications import RESULT_STATUSES, email_subject, notification_text, sms_text
from motcua.interop.outbox import handles

__all__ = ["NOTIFY_APPLICANT", "RESULT_STATUSES", "notification_text", "notify_applicant"]

NOTIFY_APPLICANT = "notify.applicant"


@handles(NOTIFY_APPLICANT, atomic=False)
def notify_applicant(message: OutboxMessage) -> None:
    payload = message.payload
    # Idempotent per channel: each delivery is recorded (and committed) as soon as it is made, so a retry
    # after a failing channel sends only what was not sent yet.
    sent = set(Notification.objects.filter(outbox_message=message).values_list("channel", flat=True))
    phone = payload.get("phone")
    if phone and "sms" not in sent:
        text = sms_text(payload)
        sms.send(phone, text)
        Notification.objects.create(
            dossier_code=payload["code"],
            channel="sms",
            recipient=sms.mask(phone),
            subject="",
            body=text,
            outbox_message=message,
        )
    email = payload.get("email")
    if not email or "email" in sent:
        return
    subject = email_subject(payload)
    body = notification_text(payload)
    send_mail(subject, body, None, [email])
    Notification.objects.create(
        dossier_code=payload["code"], recipient=email, subject=subject, body=body, outbox_message=message
    )
