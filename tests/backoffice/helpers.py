"""Helpers for the back-office page tests: signed-in clients, act posts, dates."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from motcua.core.calendar import TimeUnit, add_working_time
from motcua.core.workcalendar import current_calendar
from motcua.dossiers.models import Dossier
from tests.support.clients import client_for as client_for  # the back-office tests import it from here

BASE = "/can-bo/"


def dossier_url(dossier: Dossier, suffix: str = "") -> str:
    return f"{BASE}ho-so/{dossier.code}/{suffix}"


def post_act(client: Client, dossier: Dossier, act: str, version: int | None = None, **data):
    body = {"version": dossier.version if version is None else version} | data
    return client.post(dossier_url(dossier, f"xu-ly/{act}/"), body)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def working_moment_later(days: int = 5) -> datetime:
    """A working moment `days` working days from now, to the minute (a valid new appointment)."""
    moment = add_working_time(
        timezone.now(), Decimal(days), TimeUnit.WORKING_DAYS, calendar=current_calendar()
    )
    return timezone.localtime(moment).replace(second=0, microsecond=0)


def next_saturday() -> datetime:
    """Next Saturday at 09:00, Vietnam time: never a working moment."""
    today = timezone.localdate()
    day = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    return datetime.combine(day, time(9), tzinfo=timezone.get_current_timezone())
