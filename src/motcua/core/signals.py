from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from motcua.core.models import CalendarException
from motcua.core.workcalendar import forget_calendar


@receiver([post_save, post_delete], sender=CalendarException)
def _calendar_changed(**kwargs) -> None:
    forget_calendar()
