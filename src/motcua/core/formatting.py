"""Dates, times and amounts as people read them, for text built outside a template (PDF slips, messages).

The formats themselves live in one place, `motcua.formats` (settings.FORMAT_MODULE_PATH): templates use
`|date:"DATETIME_FORMAT"` and the `money` filters, Python uses these, so a page and a slip print the same
"02/12/2026 08:30" and "17.000 đồng". Always local time (Asia/Ho_Chi_Minh). APIs keep ISO 8601.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_date(value: date | datetime | None) -> str:
    """`02/12/2026`; a moment is taken in local time first."""
    return date_format(_local(value), "DATE_FORMAT") if value is not None else ""


def format_datetime(value: datetime | None) -> str:
    """`02/12/2026 08:30` in local time."""
    return date_format(_local(value), "DATETIME_FORMAT") if value is not None else ""


def group_thousands(amount: int) -> str:
    """17000 → "17.000" (the active language's thousand separator)."""
    return f"{int(amount):,}".replace(",", get_format("THOUSAND_SEPARATOR"))


def format_vnd(amount: int) -> str:
    """17000 → "17.000 đồng"."""
    return _("%(amount)s đồng") % {"amount": group_thousands(amount)}
