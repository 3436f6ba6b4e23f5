"""`motcua release_no_shows` (cron, every 5 minutes): appointments not checked in 15 minutes after their slot
started become no-shows, and their places are free to book again."""

from typing import Any

from django.core.management.base import BaseCommand

from motcua.queueing import bookings


class Command(BaseCommand):
    help = (
        "Mark appointments not checked in by the end of their check-in window as no-shows (frees the slots)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        released = bookings.release_no_shows()
        self.stdout.write(f"{released} booking(s) released as no-shows")
