"""The dossier's history and the side effects each act announces (written in the act's transaction)."""

from datetime import datetime
from typing import Any

from django.dispatch import Signal
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime

from motcua.core.models import User
from motcua.dossiers import clock
from motcua.dossiers.models import Dossier, DossierEvent, StepInstance
from motcua.dossiers.selectors import paused_since
from motcua.dossiers.states import Act, Status
from motcua.interop.handlers import NOTIFY_APPLICANT
from motcua.interop.outbox import collected, enqueue

# Sent inside the act's transaction after its event is written (`dossier`, `act`, `event`), so that readers
# of the lifecycle (the quality statistics, the national portal sync) can record their own follow-up work
# in the same transaction: the outbox rows they enqueue are written with the act's, in one INSERT.
dossier_changed = Signal()

# Acts the applicant is told about (DOMAIN.md: reception, supplement, apology, result, refusal...).
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


def record(
    *,
    dossier: Dossier,
    act: Act,
    from_status: int | None,
    actor: User,
    at: datetime,
    reason: str = "",
    step: StepInstance | None = None,
    data: dict[str, Any] | None = None,
) -> DossierEvent:
    event = DossierEvent.objects.create(
        dossier=dossier,
        act=act.value,
        from_status=from_status,
        to_status=dossier.status,
        actor=actor,
        actor_unit_id=actor.org_unit_id,
        step=step,
        at=at,
        reason=reason,
        data=data or {},
    )
    with collected():
        if act in NOTIFIED_ACTS:
            enqueue(NOTIFY_APPLICANT, _notification(dossier, act, reason, at, data or {}))
        dossier_changed.send(sender=Dossier, dossier=dossier, act=act, event=event)
    return event


def _notification(
    dossier: Dossier, act: Act, reason: str, at: datetime, data: dict[str, Any]
) -> dict[str, Any]:
    """The facts `interop.notifications` words the act's SMS and email from: the act picks the template;
    `reason` and `missing` are the officer's own text, for the email only."""
    with translation.override("vi"):
        status_label = str(Status(dossier.status).label)
        pause = str(clock.pause_text(dossier.status, paused_since(dossier) or at))
    appointment = ""
    if dossier.appointment_at and not pause:  # the clock is stopped: no appointment runs
        appointment = date_format(localtime(dossier.appointment_at), "DATETIME_FORMAT")  # dd/mm/yyyy HH:MM
    return {
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
        "reason": reason,
        "missing": [str(item) for item in data.get("missing") or []],
    }
