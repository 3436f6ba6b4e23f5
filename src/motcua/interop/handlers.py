"""Outbox handlers: notifications to applicants (SMS, email) and the text they read."""

from datetime import datetime

from django.core.mail import send_mail
from django.utils import translation
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.dossiers.models import ClockPause
from motcua.dossiers.states import Status
from motcua.interop import sms
from motcua.interop.models import Notification, OutboxMessage
from motcua.interop.outbox import handles

NOTIFY_APPLICANT = "notify.applicant"

# While the dossier waits for the applicant (status 5, 6) its clock is stopped: the message says so, with
# the day it stopped, instead of an appointment that no longer runs (DOMAIN.md "Time").
PAUSE_TEXTS = {
    Status.SUPPLEMENT_REQUESTED: gettext_lazy("Tạm dừng tính thời hạn, chờ bổ sung từ %(date)s"),
    Status.FINANCIAL_OBLIGATION: gettext_lazy(
        "Tạm dừng tính thời hạn, chờ thực hiện nghĩa vụ tài chính từ %(date)s"
    ),
}
PAUSE_KINDS = {
    Status.SUPPLEMENT_REQUESTED: ClockPause.Kind.SUPPLEMENT,
    Status.FINANCIAL_OBLIGATION: ClockPause.Kind.FINANCIAL,
}
APPOINTMENT_LINE = "Hẹn trả kết quả:"  # as `dossiers.events` words the appointment


def applicant_text(message: OutboxMessage) -> str:
    """The text sent to the applicant (SMS and email body), in Vietnamese."""
    payload = message.payload
    text = payload.get("text", "")
    status = payload.get("status")
    if status not in PAUSE_TEXTS:
        return text
    since = _pause_started(payload["code"], Status(status), message.created_at) or message.created_at
    with translation.override("vi"):
        pause = PAUSE_TEXTS[Status(status)] % {"date": localtime(since).strftime("%d/%m/%Y")}
    lines = [line for line in text.splitlines() if not line.startswith(APPOINTMENT_LINE)]
    lines.insert(min(2, len(lines)), f"{pause}.")  # after the dossier and its status
    return "\n".join(lines)


def _pause_started(code: str, status: Status, enqueued_at: datetime) -> datetime | None:
    """When the pause the message announces began: the last one of its kind opened before the message was
    written (the act opens it in the same transaction), also when a retry comes after the pause ended."""
    return (
        ClockPause.objects.filter(dossier__code=code, kind=PAUSE_KINDS[status], started_at__lte=enqueued_at)
        .order_by("-started_at", "-pk")
        .values_list("started_at", flat=True)
        .first()
    )


@handles(NOTIFY_APPLICANT)
def notify_applicant(message: OutboxMessage) -> None:
    payload = message.payload
    # Idempotent per channel: a retry after a failure sends only what was not sent yet.
    sent = set(Notification.objects.filter(outbox_message=message).values_list("channel", flat=True))
    text = applicant_text(message)
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
