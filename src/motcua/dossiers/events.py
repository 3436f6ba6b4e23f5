"""The dossier's history and the side effects each act announces (written in the act's transaction)."""

from datetime import datetime

from django.dispatch import Signal

from motcua.core.models import User
from motcua.dossiers.models import Dossier, DossierEvent, StepInstance
from motcua.dossiers.payloads import Payload, to_data
from motcua.dossiers.states import Act
from motcua.outbox.services import collected

# Sent inside the act's transaction after its event is written (`dossier`, `act`, `event`), so that readers
# of the lifecycle (the applicant's notifications, the e-result's issuance, the quality statistics, the
# national portal sync) can record their own follow-up work in the same transaction: the outbox rows they
# enqueue are written with the act's, in one INSERT. Receivers run in INSTALLED_APPS order.
dossier_changed = Signal()


def record(
    *,
    dossier: Dossier,
    act: Act,
    from_status: int | None,
    actor: User,
    at: datetime,
    reason: str = "",
    step: StepInstance | None = None,
    payload: Payload | None = None,
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
        data=to_data(payload),
    )
    with collected():
        dossier_changed.send(sender=Dossier, dossier=dossier, act=act, event=event)
    return event
