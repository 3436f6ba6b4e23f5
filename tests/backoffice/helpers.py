"""Helpers for the back-office page tests: signed-in clients, a scanned PDF, act posts, dates."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from reportlab.pdfgen import canvas

from motcua.core.calendar import TimeUnit, add_working_time
from motcua.core.models import User
from motcua.core.workcalendar import current_calendar
from motcua.dossiers.models import Dossier

BASE = "/can-bo/"


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def scanned_pdf(name: str = "to-khai.pdf", text: str = "To khai") -> SimpleUploadedFile:
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


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
