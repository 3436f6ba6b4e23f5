"""Keep the statistics up to date with the lifecycle: every act enqueues a refresh of its dossier's facts
in the act's own transaction (transactional outbox), dispatched after commit and retried on failure.
`motcua rebuild_stats` recomputes everything; `motcua verify_stats` checks the result."""

from django.dispatch import receiver

from motcua.dossiers.events import dossier_changed
from motcua.interop.models import OutboxMessage
from motcua.interop.outbox import enqueue, handles
from motcua.quality import services

REFRESH_STATS = "quality.refresh"


@receiver(dossier_changed)
def _enqueue_refresh(*, dossier, **kwargs) -> None:
    enqueue(REFRESH_STATS, {"dossier_id": dossier.pk})


@handles(REFRESH_STATS)
def refresh(message: OutboxMessage) -> None:
    services.refresh_dossiers([message.payload["dossier_id"]])
