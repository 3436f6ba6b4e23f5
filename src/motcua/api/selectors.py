"""Read-only helpers for the API: scoped querysets and the facts shown with a dossier."""

from datetime import datetime

from django.db.models import Prefetch, QuerySet

from motcua.core.models import User
from motcua.dossiers import clock
from motcua.dossiers.models import Dossier, DossierEvent, StepInstance
from motcua.dossiers.selectors import (
    available_acts,
    clock_facts,
    dossier_timeliness,
    paused_since,
    reschedule_of,
)
from motcua.dossiers.states import Act


def with_details(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """`dossiers` with everything the detail view shows, in a fixed number of queries."""
    related = ["procedure", "receiving_unit", "current_step__unit", "current_step__assignee", "reschedule"]
    return dossiers.select_related(*related, "reschedule__responsible_unit").prefetch_related(
        Prefetch(
            "steps",
            StepInstance.objects.select_related("unit", "assignee", "finished_by").order_by("position"),
        ),
        Prefetch("events", DossierEvent.objects.select_related("actor").order_by("at", "pk")),
        "components",
    )


__all__ = [
    "act_slug",
    "acts_for",
    "clock_facts",
    "paused_since",
    "remaining_working_hours",
    "reschedule_of",
    "timeliness",
    "with_details",
]


def timeliness(dossier: Dossier, as_of: datetime) -> clock.Timeliness | None:
    """The dossier's timeliness as every page shows it (`dossiers.selectors.dossier_timeliness`): judged at
    `as_of` or now, whichever is earlier; "paused" while the clock is stopped (status 5, 6)."""
    return dossier_timeliness(dossier, as_of=as_of)


def remaining_working_hours(step: StepInstance | None, as_of: datetime, *, paused: bool) -> float | None:
    """Working hours left on an active step (negative once overdue); none while the dossier's clock is
    stopped (`paused`)."""
    if paused or step is None or step.due_at is None or step.state != StepInstance.State.ACTIVE:
        return None
    left = clock.remaining_working_time(step.due_at, as_of)
    return round(left.total_seconds() / 3600, 2)


def acts_for(user: User, dossier: Dossier) -> list[Act]:
    return available_acts(user, dossier)


def act_slug(act: Act) -> str:
    return act.value.replace("_", "-")
