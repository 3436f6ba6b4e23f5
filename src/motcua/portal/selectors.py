"""Reads of the portal: an applicant's own dossiers and drafts, what officials told them, ratings."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from motcua.core.models import User
from motcua.core.roles import Role
from motcua.dossiers import payloads
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import visible_dossiers
from motcua.dossiers.states import ACT_LABELS, Act, Status
from motcua.portal.models import Draft
from motcua.quality.models import Rating

__all__ = [
    "ENDED_WITHOUT_RESULT",
    "Ending",
    "Message",
    "can_be_rated",
    "ending",
    "my_dossier",
    "my_dossiers",
    "my_drafts",
    "official_messages",
    "open_supplement",
    "ratings_between",
    "timeline",
]

# Acts whose reason is a message from officials to the applicant.
MESSAGE_ACTS = (
    Act.ASK_TO_COMPLETE,
    Act.REQUEST_SUPPLEMENT,
    Act.REFUSE_RECEPTION,
    Act.REFUSE_AT_COUNTER,
    Act.REFUSE,
    Act.RESCHEDULE,
)
RATEABLE = frozenset({Status.FINISHED, Status.RETURNED, Status.STOPPED, Status.NOT_ACCEPTED})


def my_dossiers(user: User) -> QuerySet[Dossier]:
    """The applicant's own dossiers, newest first (nobody else's, whatever the role)."""
    if not user.is_authenticated or user.role != Role.CITIZEN:
        return Dossier.objects.none()
    return visible_dossiers(user).filter(applicant_user=user).order_by("-submitted_at")


def my_dossier(user: User, code: str) -> Dossier | None:
    return my_dossiers(user).filter(code=code).first()


def my_drafts(user: User) -> QuerySet[Draft]:
    return Draft.objects.filter(user=user).select_related("procedure")


def timeline(dossier: Dossier) -> list[tuple[datetime, str, str]]:
    """(when, what, status after) for each event of the dossier."""
    return [
        (event.at, str(ACT_LABELS.get(Act(event.act), event.act)), str(Status(event.to_status).label))
        for event in dossier.events.order_by("at", "pk")
    ]


@dataclass(frozen=True)
class Message:
    at: datetime
    title: str
    text: str
    missing: list[str]


def official_messages(dossier: Dossier) -> list[Message]:
    events = dossier.events.filter(act__in=[a.value for a in MESSAGE_ACTS]).order_by("at", "pk")
    return [
        Message(
            at=event.at,
            title=str(ACT_LABELS[Act(event.act)]),
            text=event.reason,
            missing=list(payloads.missing_items(event)),
        )
        for event in events
    ]


def open_supplement(dossier: Dossier) -> Message | None:
    """The supplement request the applicant still has to answer, if the dossier waits for one."""
    if dossier.status != Status.SUPPLEMENT_REQUESTED:
        return None
    requests = [m for m in official_messages(dossier) if m.title == str(ACT_LABELS[Act.REQUEST_SUPPLEMENT])]
    return requests[-1] if requests else None


def can_be_rated(dossier: Dossier) -> bool:
    return dossier.status in RATEABLE


def rating_of(dossier: Dossier) -> Rating | None:
    return Rating.objects.filter(dossier=dossier).first()


def ratings_between(start: datetime, end: datetime, unit_path: str = "/") -> QuerySet[Rating]:
    """Ratings given in [start, end) for dossiers received in `unit_path`'s subtree (quality indicators:
    Decision 766 indicator 6, the share of "not satisfied")."""
    return Rating.objects.filter(
        created_at__gte=start, created_at__lt=end, unit_path__startswith=unit_path or "/"
    ).select_related("dossier")


@dataclass(frozen=True)
class Ending:
    """How a dossier ended without a result: withdrawn, not accepted, or refused after appraisal."""

    at: datetime
    label: str
    reason: str


ENDED_WITHOUT_RESULT = frozenset({Status.WITHDRAWN, Status.NOT_ACCEPTED, Status.STOPPED})


def ending(dossier: Dossier) -> Ending | None:
    """What ended the dossier without a result (its page shows it instead of an appointment and fees)."""
    if dossier.status not in ENDED_WITHOUT_RESULT:
        return None
    event = dossier.events.filter(to_status=dossier.status).order_by("-at", "-pk").first()
    at = event.at if event else (dossier.closed_at or dossier.updated_at)
    return Ending(at=at, label=str(Status(dossier.status).label), reason=event.reason if event else "")
