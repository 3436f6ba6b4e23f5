"""`motcua consultation_alerts`: alert the asking unit and the one-stop head of every consultation past its
deadline with no answer (once each), through the outbox. Run every few minutes (README "Operations")."""

from typing import Any

from django.core.management.base import BaseCommand

from motcua.interop.staff_alerts import alert_overdue


class Command(BaseCommand):
    help = "Queue the late alerts of consultations past their deadline with no answer (each alerted once)."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = alert_overdue()
        self.stdout.write(f"{queued} overdue consultations alerted")
