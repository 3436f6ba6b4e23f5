"""Keep the statistics up to date with the lifecycle: every act enqueues a refresh of its dossier's facts
in the act's own transaction (transactional outbox), dispatched after commit and retried on failure. A
refresh recomputes a dossier from what it is now, so the refreshes of a batch are done in one call.
`motcua rebuild_stats` recomputes everything; `motcua verify_stats` checks the result."""

from django.dispatch import receiver

from motcua.dossiers.events import dossier_changed
from motcua.dossiers.models import Dossier
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import enqueue, handles_batch
from motcua.quality import services

REFRESH_STATS = "quality.refresh"


@receiver(dossier_changed)
def _enqueue_refresh(*, dossier: Dossier, **kwargs: object) -> None:
    enqueue(REFRESH_STATS, {"dossier_id": dossier.pk})


@handles_batch(REFRESH_STATS)
def refresh(messages: list[OutboxMessage]) -> None:
    services.refresh_dossiers({message.payload["dossier_id"] for message in messages})
