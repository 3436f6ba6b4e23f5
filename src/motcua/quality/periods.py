"""Report periods (month, quarter, year, custom range) in local days, and who may see which unit."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from motcua.core.models import OrgUnit, User
from motcua.core.roles import OFFICER_ROLES, Role
from motcua.core.text import CollationKey, place_key

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
        raise ValueError(f"reversed period: {start} > {end}")
    return Period(start, end, f"{start:%d/%m/%Y} – {end:%d/%m/%Y}")


def parse_day(value: str) -> date | None:
    try:
        return datetime.strptime(value.strip(), "%d/%m/%Y").date()
    except (ValueError, AttributeError):
        return None


KINDS = ("month", "quarter", "year", "custom")
FIRST_YEAR = 2000


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


@dataclass
class PeriodChoice:
    """What the period picker shows and asked for: the kind, each control's value (as typed, so that a wrong
    one is shown back), and either the period or the reason it is refused. Controls left out of the query
    take today's month, quarter and year (Asia/Ho_Chi_Minh)."""

    kind: str
    year: str
    month: str
    quarter: str
    start: str
    end: str
    period: Period | None = None
    errors: list[str] = field(default_factory=list)


def choose_period(params: Mapping[str, str], today: date) -> PeriodChoice:
    """The report period from the query (kind=month|quarter|year|custom, year, month, quarter, from, to in
    dd/mm/yyyy). Only the chosen kind's controls are read. A malformed value, a reversed range or a period
    that starts after today is refused with the reason, never corrected silently."""
    choice = PeriodChoice(
        kind=params.get("kind") or "month",
        year=(params.get("year") or str(today.year)).strip(),
        month=(params.get("month") or str(today.month)).strip(),
        quarter=(params.get("quarter") or str(quarter_of(today))).strip(),
        start=(params.get("from") or "").strip(),
        end=(params.get("to") or "").strip(),
    )
    errors = choice.errors

    def number(value: str, lo: int, hi: int, message: str) -> int | None:
        if value.isdigit() and lo <= int(value) <= hi:
            return int(value)
        errors.append(message)
        return None

    if choice.kind not in KINDS:
        errors.append(_("Loại kỳ báo cáo không hợp lệ: chọn tháng, quý, năm hoặc khoảng ngày."))
        return choice
    period: Period | None = None
    if choice.kind == "custom":
        period = _custom(choice, today)
    else:
        y = number(
            choice.year,
            FIRST_YEAR,
            today.year,
            _("Năm phải là số từ %(first)d đến %(last)d.") % {"first": FIRST_YEAR, "last": today.year},
        )
        if choice.kind == "month":
            m = number(choice.month, 1, 12, _("Tháng phải là số từ 1 đến 12."))
            period = month(y, m) if y and m else None
        elif choice.kind == "quarter":
            q = number(choice.quarter, 1, 4, _("Quý phải là số từ 1 đến 4."))
            period = quarter(y, q) if y and q else None
        else:
            period = year(y) if y else None
        if period is not None and period.start > today:
            errors.append(_("Kỳ báo cáo chưa bắt đầu: chọn kỳ đến hết ngày hôm nay."))
    choice.period = None if errors else period
    return choice


def _custom(choice: PeriodChoice, today: date) -> Period | None:
    errors = choice.errors
    start, end = parse_day(choice.start), parse_day(choice.end)
    for value, day, name in ((choice.start, start, _("Từ ngày")), (choice.end, end, _("Đến ngày"))):
        if not value:
            errors.append(_("Nhập “%(name)s” theo dạng dd/mm/yyyy.") % {"name": name})
        elif day is None:
            errors.append(
                _("“%(name)s” không phải ngày hợp lệ theo dạng dd/mm/yyyy: %(value)s")
                % {"name": name, "value": value}
            )
        elif day.year < FIRST_YEAR:
            errors.append(_("“%(name)s” phải từ năm %(first)d trở đi.") % {"name": name, "first": FIRST_YEAR})
        elif day > today:
            errors.append(
                _("“%(name)s” sau ngày hôm nay (%(today)s): chưa có số liệu.")
                % {"name": name, "today": f"{today:%d/%m/%Y}"}
            )
    if errors or start is None or end is None:
        return None
    if end < start:
        errors.append(_("“Từ ngày” sau “Đến ngày”: ngày bắt đầu phải trước hoặc bằng ngày kết thúc."))
        return None
    return custom(start, end)


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
    """The units of the user's subtree, as a tree whose siblings come by kind (center, departments, their
    units, communes), then in Vietnamese alphabetical order of their names."""
    home = home_unit(user)
    if home is None:
        return []
    units = list(home.subtree().filter(kind__in=REPORT_KINDS))
    by_pk = {u.pk: u for u in units}

    def level(pk: str) -> tuple[int, tuple[CollationKey, ...]]:
        unit = by_pk.get(int(pk))
        return (-1, ()) if unit is None else (REPORT_KINDS.index(unit.kind), place_key(unit.name))

    return sorted(units, key=lambda u: [level(pk) for pk in u.path.strip("/").split("/")])


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
