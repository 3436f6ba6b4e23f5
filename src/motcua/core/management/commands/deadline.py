"""`motcua deadline --from 2026-02-13T10:00 --days 3`: the appointment on the province's calendar."""

import argparse
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.timezone import make_aware

from motcua.core.calendar import TimeUnit, add_working_time, start_of_clock
from motcua.core.workcalendar import current_calendar


def _amount(value: str) -> Decimal:
    try:
        amount = Decimal(value)
    except InvalidOperation as exc:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from exc
    if amount < 0 or not amount.is_finite():
        raise argparse.ArgumentTypeError(f"the amount must be zero or positive: {value!r}")
    return amount


class Command(BaseCommand):
    help = "Print the appointment (YYYY-MM-DDTHH:MM, local time) for a time limit counted from a moment."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="local time, e.g. 2026-02-13T10:00")
        limit = parser.add_mutually_exclusive_group(required=True)
        limit.add_argument("--days", type=_amount, help="working days")
        limit.add_argument("--hours", type=_amount, help="working hours")
        limit.add_argument("--calendar-days", type=_amount, help="calendar days (published as “Ngày”)")
        limit.add_argument("--months", type=_amount, help="months")
        parser.add_argument(
            "--paper", action="store_true", help="apply the paper-dossier start-of-clock cutoff"
        )

    def handle(self, *args: Any, start: str, paper: bool, **options: Any) -> None:
        try:
            moment = make_aware(datetime.fromisoformat(start))
        except ValueError as exc:
            raise CommandError(f"--from must look like 2026-02-13T10:00: {exc}") from exc
        unit, amount = next(
            (unit, options[key])
            for key, unit in (
                ("days", TimeUnit.WORKING_DAYS),
                ("hours", TimeUnit.WORKING_HOURS),
                ("calendar_days", TimeUnit.DAYS),
                ("months", TimeUnit.MONTHS),
            )
            if options[key] is not None
        )
        try:
            calendar = current_calendar()  # the province's days off and make-up days are in the database
        except DatabaseError as exc:
            raise CommandError(
                f"the database is not ready ({exc}): run `motcua migrate` first (`make run` does it)"
            ) from exc
        try:
            begin = start_of_clock(moment, paper=paper, calendar=calendar)
            result = add_working_time(begin, amount, unit, calendar=calendar)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(result.strftime("%Y-%m-%dT%H:%M"))
