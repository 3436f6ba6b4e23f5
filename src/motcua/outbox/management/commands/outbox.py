"""`motcua outbox`: dispatch the outbox from separate processes (production: N of them as services).

With --forever it sweeps at start, then sleeps until a commit with new messages wakes it (PostgreSQL
LISTEN/NOTIFY) or --interval passes (retries falling due; on SQLite it polls). SIGTERM or SIGINT ends it
after the batch in hand, so a service stop or restart never cuts a handler off half-way.
"""

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from motcua.outbox import services as outbox


class Command(BaseCommand):
    help = "Dispatch pending outbox messages; with --forever, keep going until stopped (SIGTERM/SIGINT)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--forever", action="store_true")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls at most")

    def handle(self, *args: Any, forever: bool, interval: float, **options: Any) -> None:
        if not forever:
            self._report(outbox.work_pass())
            return
        stopping = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        listener = outbox.Listener() if connection.vendor == "postgresql" else None
        try:
            while not stopping.is_set():
                try:
                    self._report(outbox.work_pass())
                except Exception:  # the database restarting, say: wait and go on
                    outbox.log.exception("outbox pass failed")
                    connection.close()
                if listener is not None and not stopping.is_set():
                    listener.wait(interval)
                else:
                    stopping.wait(interval)
        finally:
            if listener is not None:
                listener.close()

    def _report(self, dispatched: int) -> None:
        if dispatched:
            self.stdout.write(f"dispatched {dispatched}")
