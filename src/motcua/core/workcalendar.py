"""The province's working calendar as stored in the database, for `core.calendar` to compute with."""

import threading
import time as _time
from datetime import date, time

from django.conf import settings

from motcua.core.calendar import OfficeHours, WorkCalendar

_CACHE_SECONDS = 60
_lock = threading.Lock()
_cached: tuple[float, WorkCalendar] | None = None


def _parse_hhmm(value: str) -> time:
    hours, minutes = value.strip().split(":")
    return time(int(hours), int(minutes))


def office_hours_from_settings() -> OfficeHours:
    sessions = []
    for part in settings.MOTCUA_OFFICE_SESSIONS.split(","):
        start, end = part.split("-")
        sessions.append((_parse_hhmm(start), _parse_hhmm(end)))
    return OfficeHours(sessions=tuple(sessions))


def load_calendar() -> WorkCalendar:
    from motcua.core.models import CalendarException

    days: dict[str, set[date]] = {kind: set() for kind in CalendarException.Kind.values}
    for day, kind in CalendarException.objects.values_list("day", "kind"):
        days[kind].add(day)
    cutoff = settings.MOTCUA_PAPER_CUTOFF
    return WorkCalendar(
        office_hours=office_hours_from_settings(),
        extra_days_off=frozenset(days[CalendarException.Kind.DAY_OFF]),
        make_up_working_days=frozenset(days[CalendarException.Kind.WORKING_DAY]),
        removed_holidays=frozenset(days[CalendarException.Kind.NOT_A_HOLIDAY]),
        paper_cutoff=_parse_hhmm(cutoff) if cutoff else None,
    )


def current_calendar() -> WorkCalendar:
    """The calendar in force, cached for a minute so that other processes' edits are seen soon."""
    global _cached
    with _lock:
        if _cached is None or _time.monotonic() - _cached[0] > _CACHE_SECONDS:
            _cached = (_time.monotonic(), load_calendar())
        return _cached[1]


def forget_calendar() -> None:
    global _cached
    with _lock:
        _cached = None
