"""`motcua purge_ticket_photos` (cron, each night): the kiosk's photos of the days before today are deleted,
files and references (the kiosk's privacy note promises it)."""

from typing import Any

from django.core.management.base import BaseCommand

from motcua.queueing import services


class Command(BaseCommand):
    help = "Delete the ticket holders' kiosk photos of the days before today (files and references)."

    def handle(self, *args: Any, **options: Any) -> None:
        purged = services.purge_ticket_photos()
        self.stdout.write(f"{purged} photo(s) deleted")
