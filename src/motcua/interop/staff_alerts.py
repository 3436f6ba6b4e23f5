"""Alerts to officers about consultations (xin ý kiến, docs/domain.md "Processing"): a question past its
deadline with no answer, and an answer that came after it, are told to the asking unit (the officer who
asked, the assignee of the step that asked, the asking unit's leaders) and to the one-stop head (the leaders
of the unit that received the dossier). Emails queued in the outbox, sent after commit.

`alert_overdue` runs from `motcua consultation_alerts` (every few minutes, README "Operations"): each open
question past its deadline is alerted once (`dossiers.consultations.claim_overdue`). A late answer is told as
it is recorded (`dossier_changed`, ANSWER_CONSULTATION with `late`)."""

from datetime import datetime
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from motcua.core.models import User
from motcua.core.roles import Role
from motcua.dossiers import payloads
from motcua.dossiers.consultations import claim_overdue
from motcua.dossiers.events import dossier_changed
from motcua.dossiers.models import Consultation, Dossier, DossierEvent
from motcua.dossiers.states import Act
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import enqueue, handles

ALERT_STAFF = "notify.staff"


def recipients(consultation: Consultation) -> list[str]:
    """The email addresses told about `consultation` being late: the asker, the asking step's assignee, the
    asking unit's leaders, and the leaders of the one-stop section that received the dossier."""
    leaders_of = [consultation.asking_unit_id, consultation.dossier.receiving_unit_id]
    people = User.objects.filter(is_active=True).exclude(email="")
    step = consultation.step
    named = [consultation.asked_by_id, *([step.assignee_id] if step and step.assignee_id else [])]
    chosen = people.filter(pk__in=named) | people.filter(role=Role.UNIT_LEADER, org_unit_id__in=leaders_of)
    return sorted(set(chosen.values_list("email", flat=True)))


def _when(moment: datetime | None) -> str:
    return date_format(localtime(moment), "DATETIME_FORMAT") if moment else ""  # dd/mm/yyyy HH:MM


def alert_payload(consultation: Consultation, *, answered_late: bool) -> dict[str, Any]:
    """The email's recipients and words, fixed when the alert is queued (in Vietnamese)."""
    dossier = consultation.dossier
    with translation.override("vi"):
        facts = {
            "code": dossier.code,
            "unit": consultation.consulted_unit.name,
            "asking_unit": consultation.asking_unit.name,
            "due": _when(consultation.due_at),
            "answered": _when(consultation.answered_at),
        }
        if answered_late:
            subject = _("Hồ sơ %(code)s: %(unit)s trả lời xin ý kiến trễ hạn") % facts
            lead = _("%(unit)s đã trả lời xin ý kiến lúc %(answered)s, sau hạn trả lời %(due)s.") % facts
        else:
            subject = _("Hồ sơ %(code)s: %(unit)s chưa trả lời xin ý kiến, đã quá hạn") % facts
            lead = _("%(unit)s chưa trả lời xin ý kiến của %(asking_unit)s; hạn trả lời là %(due)s.") % facts
        body = "\n\n".join(
            [
                lead,
                _("Hồ sơ: %(code)s") % facts,
                _("Nội dung xin ý kiến:") + "\n" + consultation.content,
                *([_("Ý kiến trả lời:") + "\n" + consultation.answer] if answered_late else []),
            ]
        )
    return {
        "consultation": consultation.pk,
        "code": dossier.code,
        "emails": recipients(consultation),
        "subject": subject,
        "body": body,
    }


def alert_overdue(now: datetime | None = None) -> int:
    """Queue the alert of every open question past its deadline not alerted yet; returns how many."""
    with transaction.atomic():  # marked alerted and queued together
        overdue = claim_overdue(now or timezone.now())
        for consultation in overdue:
            enqueue(ALERT_STAFF, alert_payload(consultation, answered_late=False))
    return len(overdue)


@receiver(dossier_changed, dispatch_uid="interop.alert_late_answer")
def alert_late_answer(*, dossier: Dossier, act: Act, event: DossierEvent, **kwargs: object) -> None:
    if act != Act.ANSWER_CONSULTATION:
        return
    answered = payloads.payload_of(event)
    if isinstance(answered, payloads.ConsultationAnswered) and answered.late:
        consultation = Consultation.objects.select_related(
            "dossier", "asking_unit", "consulted_unit", "step"
        ).get(pk=answered.consultation_id)
        enqueue(ALERT_STAFF, alert_payload(consultation, answered_late=True))


@handles(ALERT_STAFF)
def send_staff_alert(message: OutboxMessage) -> None:
    emails = [str(email) for email in message.payload.get("emails", [])]
    if emails:
        send_mail(str(message.payload["subject"]), str(message.payload["body"]), None, emails)
