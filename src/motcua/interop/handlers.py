"""Notifications to applicants (SMS, email, Zalo with the account's consent): the acts they are told about
are queued in the act's transaction (`dossier_changed`), and sent by the outbox after commit; their texts
are in `interop.notifications`."""

from typing import Any

from django.core.mail import send_mail
from django.dispatch import receiver
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime

from motcua.dossiers import clock, payloads
from motcua.dossiers.events import dossier_changed
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.selectors import paused_since
from motcua.dossiers.states import Act, Status
from motcua.interop import sms, zalo
from motcua.interop.models import Notification
from motcua.interop.notifications import RESULT_STATUSES, email_subject, notification_text, sms_text
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import enqueue, handles

__all__ = ["NOTIFIED_ACTS", "NOTIFY_APPLICANT", "RESULT_STATUSES", "notification_text", "notify_applicant"]

NOTIFY_APPLICANT = "notify.applicant"

# Acts the applicant is told about (docs/domain.md: reception, supplement, apology, result, refusal...).
NOTIFIED_ACTS = frozenset(
    {
        Act.SUBMIT_ONLINE,
        Act.RECEIVE,
        Act.REFUSE_AT_COUNTER,
        Act.ACCEPT,
        Act.REFUSE_RECEPTION,
        Act.ASK_TO_COMPLETE,
        Act.REQUEST_SUPPLEMENT,
        Act.COMPLETE_SUPPLEMENT,
        Act.REQUEST_FINANCIAL_OBLIGATION,
        Act.RESCHEDULE,
        Act.ISSUE_RESULT,
        Act.REFUSE,
        Act.WITHDRAW,
        Act.RETURN_RESULT,
    }
)


@receiver(dossier_changed, dispatch_uid="interop.enqueue_notification")
def enqueue_notification(*, dossier: Dossier, act: Act, event: DossierEvent, **kwargs: object) -> None:
    if act in NOTIFIED_ACTS:
        enqueue(NOTIFY_APPLICANT, notification_payload(dossier, act, event))


def notification_payload(dossier: Dossier, act: Act, event: DossierEvent) -> dict[str, Any]:
    """The facts `interop.notifications` words the act's SMS and email from: the act picks the template;
    `reason` and `missing` are the officer's own text, for the email only."""
    with translation.override("vi"):
        status_label = str(Status(dossier.status).label)
        pause = str(clock.pause_text(dossier.status, paused_since(dossier) or event.at))
    appointment = ""
    if dossier.appointment_at and not pause:  # the clock is stopped: no appointment runs
        appointment = date_format(localtime(dossier.appointment_at), "DATETIME_FORMAT")  # dd/mm/yyyy HH:MM
    return {
        "early": _early_result_day(dossier, act, event),
        "act": act.value,
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "status": dossier.status,
        "status_label": status_label,
        "email": dossier.applicant_email,
        "phone": dossier.applicant_phone,
        "applicant_account": dossier.applicant_user_id is not None,  # the portal page exists for them
        "appointment": appointment,
        "pause": pause,
        "reason": event.reason,
        "missing": list(payloads.missing_items(event)),
    }


def _early_result_day(dossier: Dossier, act: Act, event: DossierEvent) -> str:
    """The appointment's day (dd/mm/yyyy) when the result is ready on an earlier day, else ""."""
    if act != Act.ISSUE_RESULT or dossier.appointment_at is None:
        return ""
    appointment_day = localtime(dossier.appointment_at).date()
    if localtime(event.at).date() >= appointment_day:
        return ""
    return date_format(appointment_day, "SHORT_DATE_FORMAT")


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
    if email and "email" not in sent:
        subject = email_subject(payload)
        body = notification_text(payload)
        send_mail(subject, body, None, [email])
        Notification.objects.create(
            dossier_code=payload["code"], recipient=email, subject=subject, body=body, outbox_message=message
        )
    if zalo.CHANNEL not in sent:  # only to an account that consents to Zalo now (`interop.zalo`)
        zalo.deliver(message)
