"""`motcua outbox`: dispatch the outbox from a separate process (production: run it as a service)."""

import time

from django.core.management.base import BaseCommand, CommandParser

from motcua.interop.outbox import dispatch_pending


class Command(BaseCommand):
    help = "Dispatch pending outbox messages; with --forever, keep polling."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--forever", action="store_true")
        parser.add_argument("--interval", type=float, default=2.0)

    def handle(self, *args, forever: bool, interval: float, **options) -> None:
        while True:
            total = 0
            while sent := dispatch_pending():
                total += sent
            if total:
                self.stdout.write(f"dispatched {total}")
            if not forever:
                return
            time.sleep(interval)
