"""`motcua dvcqg_pull`: pull the dossiers submitted on the National Public Service Portal now (the workers
also pull every MOTCUA_DVCQG_PULL_MINUTES), and take them in through the outbox."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.intake.inbound import pull
from motcua.interop.dvcqg.transport import TransportError, configured
from motcua.outbox.services import dispatch_pending


class Command(BaseCommand):
    help = "Pull the dossiers submitted on the national portal (DVCQG) now and take them in."

    def handle(self, *args: Any, **options: Any) -> None:
        if not configured():
            raise CommandError("MOTCUA_DVCQG_URL is empty: there is no portal to pull from.")
        try:
            new = pull()
        except TransportError as exc:
            raise CommandError(f"The portal could not be reached: {exc}") from exc
        dispatched = 0
        while sent := dispatch_pending():
            dispatched += sent
        self.stdout.write(f"{new} new dossiers from the portal; {dispatched} outbox messages dispatched")
