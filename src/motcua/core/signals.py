from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from motcua.core.models import CalendarException
from motcua.core.workcalendar import forget_calendar


@receiver([post_save, post_delete], sender=CalendarException)
def _calendar_changed(**kwargs: Any) -> None:
    forget_calendar()
    # Again after commit: a reload between the save and the commit would have cached the old calendar.
    transaction.on_commit(forget_calendar)
