"""`motcua directive_reminders`: remind the units whose directive reports fall due soon or are late, each
(unit, period, kind) once, through the outbox. Run daily (README "Operations")."""

from typing import Any

from django.core.management.base import BaseCommand

from motcua.directives.reminders import send_reminders


class Command(BaseCommand):
    help = "Queue the reminders of directive reports due soon or late (each unit and period once)."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = send_reminders()
        self.stdout.write(f"{queued} directive report reminders queued")
