"""Outbox handlers: notifications to applicants now; National Public Service Portal sync comes later."""

from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from motcua.interop.models import Notification, OutboxMessage
from motcua.interop.outbox import handles

NOTIFY_APPLICANT = "notify.applicant"


@handles(NOTIFY_APPLICANT)
def notify_applicant(message: OutboxMessage) -> None:
    payload = message.payload
    if Notification.objects.filter(outbox_message=message).exists():
        return
    email = payload.get("email")
    if not email:
        return
    with translation.override("vi"):
        subject = _("Hồ sơ %(code)s: %(status)s") % {
            "code": payload["code"],
            "status": payload["status_label"],
        }
        body = payload.get("text", "")
    send_mail(subject, body, None, [email])
    Notification.objects.create(
        dossier_code=payload["code"], recipient=email, subject=subject, body=body, outbox_message=message
    )
