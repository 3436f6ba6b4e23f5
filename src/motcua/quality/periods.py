"""Report periods (month, quarter, year, custom range) in local days, and who may see which unit."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from motcua.core.models import OrgUnit, User
from motcua.core.roles import OFFICER_ROLES, Role

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str

    @property
    def as_of(self) -> datetime:
        """The moment dossiers still open are judged at: the end of the last day (local midnight)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=TZ)

    def previous(self) -> "Period":
        length = (self.end - self.start).days + 1
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=length - 1), end, "")


def month_end(d: date) -> date:
    nxt = date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)
    return nxt - timedelta(days=1)


def add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month(year: int, m: int) -> Period:
    start = date(year, m, 1)
    return Period(start, month_end(start), _("Tháng %(m)02d/%(y)d") % {"m": m, "y": year})


def quarter(year: int, q: int) -> Period:
    start = date(year, 3 * q - 2, 1)
    return Period(start, month_end(add_months(start, 2)), _("Quý %(q)d/%(y)d") % {"q": q, "y": year})


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), _("Năm %(y)d") % {"y": y})


def custom(start: date, end: date) -> Period:
    if end < start:
        start, end = end, start
    return Period(start, end, f"{start:%d/%m/%Y} – {end:%d/%m/%Y}")


def parse_day(value: str) -> date | None:
    try:
        return datetime.strptime(value.strip(), "%d/%m/%Y").date()
    except (ValueError, AttributeError):
        return None


def period_from_params(params, today: date) -> Period:
    """From GET parameters: kind=month|quarter|year|custom, year, month, quarter, from, to (dd/mm/yyyy)."""
    kind = params.get("kind") or "month"

    def number(name: str, default: int, lo: int, hi: int) -> int:
        try:
            value = int(params.get(name, default))
        except (TypeError, ValueError):
            return default
        return value if lo <= value <= hi else default

    y = number("year", today.year, 2000, 2100)
    if kind == "quarter":
        return quarter(y, number("quarter", (today.month - 1) // 3 + 1, 1, 4))
    if kind == "year":
        return year(y)
    if kind == "custom":
        start, end = parse_day(params.get("from", "")), parse_day(params.get("to", ""))
        if start and end:
            return custom(start, end)
    return month(y, number("month", today.month, 1, 12))


def is_officer(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role in OFFICER_ROLES


def root_unit() -> OrgUnit | None:
    return OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()


def home_unit(user: User) -> OrgUnit | None:
    """The unit whose subtree the user sees: everything for the center's administrators."""
    if not is_officer(user):
        return None
    if user.role == Role.CENTER_ADMIN or user.org_unit is None:
        return root_unit() if user.role == Role.CENTER_ADMIN else None
    return user.org_unit


REPORT_KINDS = (
    OrgUnit.Kind.PROVINCE,
    OrgUnit.Kind.CENTER,
    OrgUnit.Kind.DEPARTMENT,
    OrgUnit.Kind.SUB_UNIT,
    OrgUnit.Kind.COMMUNE,
)


def selectable_units(user: User) -> list[OrgUnit]:
    home = home_unit(user)
    if home is None:
        return []
    return list(home.subtree().filter(kind__in=REPORT_KINDS).order_by("path"))


def unit_for(user: User, unit_id: str | None) -> OrgUnit | None:
    """The requested unit when it is inside the user's scope, else the user's own unit."""
    home = home_unit(user)
    if home is None:
        return None
    if unit_id and unit_id.isdigit():
        unit = OrgUnit.objects.filter(pk=int(unit_id), path__startswith=home.path).first()
        if unit is not None:
            return unit
    return home
