"""`motcua dvcqg_catchup`: once MOTCUA_DVCQG_URL is configured, send the calls to the national portal that
were recorded while it was not (SyncRecord "pending"), in order per dossier, through the outbox."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.interop.dvcqg.services import catch_up
from motcua.interop.dvcqg.transport import configured
from motcua.outbox.services import dispatch_pending


class Command(BaseCommand):
    help = "Send the DVCQG calls left pending while sync was not configured (per dossier, in order)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not configured():
            raise CommandError("MOTCUA_DVCQG_URL is empty: nothing can be sent to the national portal.")
        queued = catch_up()
        dispatched = 0
        while sent := dispatch_pending():
            dispatched += sent
        self.stdout.write(f"{queued} dossiers to catch up; {dispatched} outbox messages dispatched")
