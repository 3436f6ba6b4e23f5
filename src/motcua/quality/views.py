"""Pages of `quality`: the leader's dashboard, the statistics report (and its exports), late dossiers, and
the public transparency page. Thin: parse the unit and period, call the selectors, render."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from motcua.core.decorators import role_required
from motcua.core.models import User
from motcua.core.roles import OFFICER_ROLES
from motcua.dossiers.selectors import judged_moment
from motcua.quality import exports, indicators, selectors
from motcua.quality.periods import (
    FIRST_YEAR,
    choose_period,
    month,
    root_unit,
    selectable_units,
    unit_for,
    year,
)
from motcua.quality.selectors import Scope


def _officer(request: HttpRequest) -> User:
    """The signed-in officer (`role_required` lets only active officers through, and asks `also` only of
    them)."""
    user = request.user
    assert isinstance(user, User)
    return user


def officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Officers with a unit (the figures are their unit's): anyone else gets quality's 403 page."""
    return role_required(
        OFFICER_ROLES,
        forbidden_template="quality/403.html",
        also=lambda request: unit_for(_officer(request), None) is not None,
    )(view)


# A page's template context: the values of the names its template reads.
Context = dict[str, Any]


def _context(request: HttpRequest) -> Context:
    """The unit and the period picked; `period` is None (and `picker.errors` says why) when the period asked
    for is wrong: then no figure is computed and the page answers 400 with the picker and its errors."""
    today = timezone.localdate()
    user = _officer(request)
    unit = unit_for(user, request.GET.get("unit"))
    assert unit is not None  # officer_required: the officer has a unit
    picker = choose_period(request.GET, today)
    period = picker.period
    first_shown = min(today.year - 3, int(picker.year) if picker.year.isdigit() else today.year)
    return {
        "unit": unit,
        "scope": Scope.of(unit),
        "period": period,
        "picker": picker,
        "units": selectable_units(user),
        "params": request.GET,
        "judged_at": judged_moment(period.as_of) if period else None,
        "query": request.GET.urlencode(),
        "years": [str(y) for y in range(max(first_shown, FIRST_YEAR), today.year + 1)],
        "months": [str(m) for m in range(1, 13)],
        "quarters": ["1", "2", "3", "4"],
    }


def _refused(request: HttpRequest, template: str, ctx: Context) -> HttpResponse:
    return render(request, template, ctx, status=400)


def trend_bars(trend: list[tuple[date, selectors.Figures]], height: int = 160) -> dict[str, object]:
    """Server-side SVG bars: per month, settled early + on time (stacked) and late."""
    peak = max([f.settled for _m, f in trend] + [1])
    bars: list[dict[str, object]] = []
    for i, (m, f) in enumerate(trend):
        good = (f.early + f.on_time) * height / peak
        late = f.late * height / peak
        bars.append(
            {
                "x": 40 + i * 50,
                "good": good,
                "late": late,
                "good_y": height + 10 - good,
                "late_y": height + 10 - good - late,
                "month": m,
                "f": f,
            }
        )
    return {"bars": bars, "peak": peak, "height": height, "width": 40 + 50 * len(trend)}


@officer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    ctx = _context(request)
    if ctx["period"] is None:
        return _refused(request, "quality/dashboard.html", ctx)
    results = indicators.compute(scope=ctx["scope"], period=ctx["period"])
    ctx |= {
        "results": results,
        "summary": indicators.summary(results),
        "total": selectors.total(scope=ctx["scope"], period=ctx["period"]),
        "chart": trend_bars(selectors.trend(scope=ctx["scope"], end=ctx["period"].end)),
        "worst": selectors.worst_units(scope=ctx["scope"], period=ctx["period"]),
    }
    return render(request, "quality/dashboard.html", ctx)


def _report(ctx: Context) -> tuple[list[selectors.Figures], selectors.Figures]:
    group = "receiving_unit_id" if ctx["params"].get("by") == "unit" else "procedure_id"
    rows = selectors.statistics(scope=ctx["scope"], period=ctx["period"], group=group)
    return rows, selectors.total(scope=ctx["scope"], period=ctx["period"])


@officer_required
def report(request: HttpRequest) -> HttpResponse:
    ctx = _context(request)
    if ctx["period"] is None:
        return _refused(request, "quality/report.html", ctx | {"by_unit": ctx["params"].get("by") == "unit"})
    rows, total = _report(ctx)
    ctx |= {
        "rows": rows,
        "total": total,
        "columns": exports.columns(),
        "by_unit": ctx["params"].get("by") == "unit",
    }
    return render(request, "quality/report.html", ctx)


@officer_required
def report_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    ctx = _context(request)
    if ctx["period"] is None:
        return _refused(request, "quality/report.html", ctx | {"by_unit": ctx["params"].get("by") == "unit"})
    rows, total = _report(ctx)
    args = {"unit": ctx["unit"], "period": ctx["period"], "rows": rows, "total": total}
    name = f"thong-ke-{ctx['period'].start:%Y%m%d}-{ctx['period'].end:%Y%m%d}"
    if fmt == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(exports.xlsx(**args), content_type=content_type)
    else:
        response = HttpResponse(exports.pdf(**args), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@officer_required
def late(request: HttpRequest) -> HttpResponse:
    ctx = _context(request)
    if ctx["period"] is None:
        return _refused(request, "quality/late.html", ctx)
    ctx |= {
        "late": selectors.late_dossiers(scope=ctx["scope"], period=ctx["period"]),
        "apologies": selectors.apology_letters(scope=ctx["scope"], period=ctx["period"]),
        "late_supplements": selectors.late_supplement_requests(scope=ctx["scope"], period=ctx["period"]),
    }
    return render(request, "quality/late.html", ctx)


def public(request: HttpRequest) -> HttpResponse:
    """Province-wide figures for everyone: counts and rates only, no dossier, person or official."""
    today = timezone.localdate()
    root = root_unit()
    ctx: Context = {"root": root}
    if root is not None:
        scope = Scope.of(root)
        last_month = month(today.year, today.month)
        ctx |= {
            "this_year": selectors.total(scope=scope, period=year(today.year)),
            "year_period": year(today.year),
            "this_month": selectors.total(scope=scope, period=last_month),
            "month_period": last_month,
            "chart": trend_bars(selectors.trend(scope=scope, end=today)),
        }
    return render(request, "quality/public.html", ctx)
