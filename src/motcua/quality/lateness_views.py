"""Pages of "who is late, and why": the scope's units, procedures, officials, consultations and candidates
for a shorter time limit; a procedure's steps; a step's late dossiers. Each page has its XLSX export (the
same tables). Thin: parse the unit and period, call `lateness`, render."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.quality import lateness, lateness_exports, lateness_rules
from motcua.quality.views import Context, _context, _refused, officer_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BARS_SHOWN = 12  # the chart shows the rows that caused the most delay


def bars(rows: list[lateness.Row], title: str) -> dict[str, Any]:
    """Server-side SVG: one horizontal bar per row, its share of the delay caused in the scope."""
    shown = [r for r in rows if r.overrun_hours > 0][:BARS_SHOWN]
    items = []
    for i, row in enumerate(shown):
        share = row.delay_share or 0.0
        items.append({"label": row.label, "share": share, "width": share * 400, "y": 10 + i * 26, "row": row})
    return {"title": title, "bars": items, "height": 20 + 26 * len(items)}


def _rules() -> Context:
    return {
        "quantum_text": lateness_rules.QUANTUM_TEXT,
        "percentile_text": lateness_rules.PERCENTILE_TEXT,
        "candidate_text": lateness_rules.CANDIDATE_TEXT,
    }


def _base(request: HttpRequest) -> Context:
    """The page's unit and period (`views._context`), the rules in words, and the period's query without
    the unit (for the links that drill down to another unit)."""
    params = request.GET.copy()
    params.pop("unit", None)
    return _context(request) | _rules() | {"period_query": params.urlencode()}


def _overview(ctx: Context) -> Context:
    scope, period = ctx["scope"], ctx["period"]
    units = lateness.by_unit(scope=scope, period=period)
    return {
        "unit_table": units,
        "procedure_table": lateness.by_procedure(scope=scope, period=period),
        "official_table": lateness.by_official(scope=scope, period=period),
        "consultations": lateness.consultations(scope=scope, period=period),
        "candidates": lateness.candidates(scope=scope, period=period),
        "chart": bars(units.rows, _("Tỷ trọng thời gian chậm theo đơn vị")),
    }


def _procedure(code: str) -> Procedure:
    procedure = Procedure.objects.filter(code=code).order_by("-version").first()
    if procedure is None:
        raise Http404
    return procedure


def _steps(ctx: Context, code: str) -> Context:
    steps = lateness.by_step(scope=ctx["scope"], period=ctx["period"], code=code)
    return {"steps": steps, "chart": bars(steps.rows, _("Tỷ trọng thời gian chậm theo bước"))}


def _dossiers(ctx: Context, code: str, position: int) -> Context:
    rows, count = lateness.step_dossiers(
        scope=ctx["scope"], period=ctx["period"], code=code, position=position
    )
    steps = lateness.by_step(scope=ctx["scope"], period=ctx["period"], code=code)
    step = next((r for r in steps.rows if r.key[1] == position), None)
    return {"late_steps": rows, "late_count": count, "step": step, "position": position}


@officer_required
def overview(request: HttpRequest) -> HttpResponse:
    ctx = _base(request)
    if ctx["period"] is None:
        return _refused(request, "quality/lateness.html", ctx)
    return render(request, "quality/lateness.html", ctx | _overview(ctx))


@officer_required
def procedure(request: HttpRequest, code: str) -> HttpResponse:
    ctx = _base(request) | {"procedure": _procedure(code)}
    if ctx["period"] is None:
        return _refused(request, "quality/lateness_procedure.html", ctx)
    return render(request, "quality/lateness_procedure.html", ctx | _steps(ctx, code))


@officer_required
def step(request: HttpRequest, code: str, position: int) -> HttpResponse:
    ctx = _base(request) | {"procedure": _procedure(code)}
    if ctx["period"] is None:
        return _refused(request, "quality/lateness_step.html", ctx)
    return render(request, "quality/lateness_step.html", ctx | _dossiers(ctx, code, position))


def _xlsx(ctx: Context, name: str, sheets: list[lateness_exports.Sheet]) -> HttpResponse:
    period = ctx["period"]
    content = lateness_exports.xlsx(unit=ctx["unit"], period=period, sheets=sheets)
    response = HttpResponse(content, content_type=XLSX)
    filename = f"{name}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@officer_required
def overview_export(request: HttpRequest) -> HttpResponse:
    ctx = _base(request)
    if ctx["period"] is None:
        return _refused(request, "quality/lateness.html", ctx)
    data = _overview(ctx)
    sheets = [
        lateness_exports.steps_sheet(_("Đơn vị"), data["unit_table"]),
        lateness_exports.steps_sheet(_("Thủ tục"), data["procedure_table"]),
        lateness_exports.steps_sheet(_("Cán bộ"), data["official_table"], officials=True),
        lateness_exports.consultations_sheet(data["consultations"]),
        lateness_exports.candidates_sheet(data["candidates"]),
    ]
    return _xlsx(ctx, "ai-cham", sheets)


@officer_required
def procedure_export(request: HttpRequest, code: str) -> HttpResponse:
    ctx = _base(request) | {"procedure": _procedure(code)}
    if ctx["period"] is None:
        return _refused(request, "quality/lateness_procedure.html", ctx)
    sheet = lateness_exports.steps_sheet(_("Bước"), _steps(ctx, code)["steps"], steps=True)
    return _xlsx(ctx, f"ai-cham-{code}", [sheet])


@officer_required
def step_export(request: HttpRequest, code: str, position: int) -> HttpResponse:
    ctx = _base(request) | {"procedure": _procedure(code)}
    if ctx["period"] is None:
        return _refused(request, "quality/lateness_step.html", ctx)
    sheet = lateness_exports.dossiers_sheet(_dossiers(ctx, code, position)["late_steps"])
    return _xlsx(ctx, f"ai-cham-{code}-buoc-{position}", [sheet])
