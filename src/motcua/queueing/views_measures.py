"""The reception hall measured and forecast (quay/do-luong/), for the center's administrators and leaders:
per area and hour the measured waits, service times and abandonment of a chosen period, the present
expected wait (and its alert), tomorrow's and next week's forecast arrivals, the forecast's error on held-out
weeks, and the counters needed for the area's target wait. Thin: parse the unit and period, call
`measures`, render."""

import math
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.decorators import OFFICER_FORBIDDEN, role_required
from motcua.core.models import OrgUnit, User
from motcua.core.roles import Role
from motcua.core.workcalendar import current_calendar
from motcua.queueing import measures
from motcua.queueing.models import ServiceArea
from motcua.queueing.staffing import DEFAULT_TARGET_SHARE

MEASURE_ROLES = frozenset({Role.CENTER_ADMIN, Role.UNIT_LEADER})
DEFAULT_DAYS = 28
MAX_DAYS = 366
CHART_HEIGHT = 120


def measured_units(user: User) -> QuerySet[OrgUnit]:
    """The units whose hall the user may see measured: their own and those below it, with service areas."""
    if user.org_unit is None:
        return OrgUnit.objects.none()
    with_areas = ServiceArea.objects.values("unit_id")
    return OrgUnit.objects.filter(path__startswith=user.org_unit.path, pk__in=with_areas).order_by("path")


def _day(value: str) -> date | None:
    try:
        return datetime.strptime(value.strip(), "%d/%m/%Y").date()
    except ValueError:
        return None


def _period(params: dict[str, str], today: date) -> tuple[str, str, date | None, date | None, list[str]]:
    start_text = params.get("from") or (today - timedelta(days=DEFAULT_DAYS - 1)).strftime("%d/%m/%Y")
    end_text = params.get("to") or today.strftime("%d/%m/%Y")
    start, end, errors = _day(start_text), _day(end_text), []
    if start is None:
        errors.append(_("Từ ngày: hãy nhập ngày theo dạng dd/mm/yyyy."))
    if end is None:
        errors.append(_("Đến ngày: hãy nhập ngày theo dạng dd/mm/yyyy."))
    if start and end and end < start:
        errors.append(_("Đến ngày phải sau hoặc bằng từ ngày."))
    elif start and end and (end - start).days >= MAX_DAYS:
        errors.append(_("Khoảng ngày dài nhất là %(days)s ngày.") % {"days": MAX_DAYS})
    return start_text, end_text, start, end, errors


def hour_bars(values: list[tuple[int, float | None]], *, note: str = "") -> dict[str, Any]:
    """Server-side SVG bars, one per hour (the style of quality's charts)."""
    peak = max([v for _h, v in values if v is not None] + [1.0])
    bars = []
    for i, (hour, value) in enumerate(values):
        height = (value or 0.0) * CHART_HEIGHT / peak
        bars.append(
            {"x": 40 + i * 50, "y": CHART_HEIGHT + 10 - height, "h": height, "hour": hour, "value": value}
        )
    return {"bars": bars, "peak": peak, "height": CHART_HEIGHT, "width": 40 + 50 * len(values), "note": note}


def _area_sections(m: measures.Measures, plan: measures.Plan) -> list[dict[str, Any]]:
    hours_of: dict[int, list[measures.Measure]] = {}
    for row in m.by_area_hour:
        hours_of.setdefault(row.area.pk, []).append(row)
    counters_of: dict[int, list[measures.Measure]] = {}
    for row in m.by_area_counter:
        counters_of.setdefault(row.area.pk, []).append(row)
    total_of = {row.area.pk: row for row in m.by_area}
    sections = []
    for area_plan in plan.areas:
        area = area_plan.area
        hours = hours_of.get(area.pk, [])
        sections.append(
            {
                "area": area,
                "total": total_of.get(area.pk),
                "hours": hours,
                "counters": counters_of.get(area.pk, []),
                "plan": area_plan,
                "wait_chart": hour_bars([(h.hour or 0, h.wait.mean) for h in hours if h.hour is not None]),
                "forecast_chart": hour_bars([(h.hour, h.arrivals) for h in area_plan.tomorrow]),
            }
        )
    return sections


@role_required(MEASURE_ROLES, forbidden_template=OFFICER_FORBIDDEN)
def measures_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # role_required let only officers through
    units = list(measured_units(user))
    today = timezone.localdate()
    start_text, end_text, start, end, errors = _period(request.GET.dict(), today)
    ctx: dict[str, Any] = {"units": units, "start_text": start_text, "end_text": end_text, "errors": errors}
    chosen = request.GET.get("unit", "")
    unit = next((u for u in units if str(u.pk) == chosen), None) if chosen else None
    if chosen and unit is None:  # not a unit of theirs (or none with a hall): not theirs to see
        return render(request, OFFICER_FORBIDDEN, status=403)
    unit = unit or next((u for u in units if u.pk == user.org_unit_id), units[0] if units else None)
    ctx["unit"] = unit
    if unit is None:
        return render(request, "queueing/measures.html", ctx)
    if errors or start is None or end is None:
        return render(request, "queueing/measures.html", ctx, status=400)
    now = timezone.now()
    measured = measures.measure(unit=unit, start=start, end=end, today=today)
    areas = list(ServiceArea.objects.filter(unit=unit, is_active=True).order_by("position", "name"))
    # The period's mean service time, or the recent one for an area without a service in the period.
    service: dict[int, float | None] = dict(measures.recent_service_minutes(areas, now=now))
    service |= {row.area.pk: row.service.mean for row in measured.by_area if row.service.mean is not None}
    plan = measures.plan(unit=unit, today=today, cal=current_calendar(), service_minutes=service)
    waits = measures.expected_waits(areas, now=now)
    ctx |= {
        "start": start,
        "end": end,
        "waits": [{"w": w, "infinite": math.isinf(w.minutes)} for w in waits],
        "sections": _area_sections(measured, plan),
        "plan": plan,
        "target_share": round(DEFAULT_TARGET_SHARE * 100),
    }
    return render(request, "queueing/measures.html", ctx)
