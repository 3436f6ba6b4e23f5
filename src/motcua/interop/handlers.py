"""Outbox handlers: notifications to applicants (SMS, email) and the text they read."""

from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from motcua.interop import sms
from motcua.interop.models import Notification, OutboxMessage
from motcua.interop.outbox import handles

NOTIFY_APPLICANT = "notify.applicant"


@handles(NOTIFY_APPLICANT, atomic=False)
def notify_applicant(message: OutboxMessage) -> None:
    payload = message.payload
    # Idempotent per channel: each delivery is recorded (and committed) as soon as it is made, so a retry
    # after a failing channel sends only what was not sent yet.
    sent = set(Notification.objects.filter(outbox_message=message).values_list("channel", flat=True))
    text = payload.get("text", "")
    phone = payload.get("phone")
    if phone and "sms" not in sent:
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
    with translation.override("vi"):
        subject = _("Hồ sơ %(code)s: %(status)s") % {
            "code": payload["code"],
            "status": payload["status_label"],
        }
    send_mail(subject, text, None, [email])
    Notification.objects.create(
        dossier_code=payload["code"], recipient=email, subject=subject, body=text, outbox_message=message
    )
