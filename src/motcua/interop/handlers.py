"""Outbox handlers: notifications to applicants (SMS, email) and the text they read."""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from motcua.interop import sms
from motcua.interop.models import Notification, OutboxMessage
from motcua.interop.outbox import handles

NOTIFY_APPLICANT = "notify.applicant"
# dossiers.states.Status.FINISHED and RETURNED (interop does not import the dossiers app): the result exists.
RESULT_STATUSES = frozenset({9, 10})


@handles(NOTIFY_APPLICANT, atomic=False)
def notify_applicant(message: OutboxMessage) -> None:
    payload = message.payload
    # Idempotent per channel: each delivery is recorded (and committed) as soon as it is made, so a retry
    # after a failing channel sends only what was not sent yet.
    sent = set(Notification.objects.filter(outbox_message=message).values_list("channel", flat=True))
    text = notification_text(payload)
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


def notification_text(payload: dict[str, Any]) -> str:
    """The act's text; once the result exists, with the link to the applicant's dossier page on the portal,
    where their account downloads the signed e-result after signing in (never a link to the file itself)."""
    text = payload.get("text", "")
    if payload.get("status") not in RESULT_STATUSES or not payload.get("applicant_account"):
        return text
    base = settings.MOTCUA_PUBLIC_URL.rstrip("/")
    url = f"{base}{reverse('portal:my_dossier', args=[payload['code']])}"
    with translation.override("vi"):
        line = _("Tải kết quả điện tử: %(url)s") % {"url": url}
    return f"{text}\n{line}" if text else line
