"""Public catalogue pages: the list of procedures (home page) and one procedure's details."""

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.catalog import selectors
from motcua.catalog.models import Procedure
from motcua.catalog.search import procedure_search
from motcua.core.roles import OFFICER_ROLES

MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class Row:
    procedure: Procedure
    time_limit: str
    fees: str
    online_level: str


def _row(procedure: Procedure) -> Row:
    return Row(
        procedure=procedure,
        time_limit=selectors.time_limit_text(procedure),
        fees=selectors.fees_summary(procedure),
        online_level=selectors.online_level_text(procedure),
    )


def home(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    found = procedure_search(q)
    procedures = found.procedures
    groups = [
        (label, [_row(p) for p in procedures if p.level == level])
        for level, label in (
            (Procedure.Level.PROVINCE, _("Cấp tỉnh")),
            (Procedure.Level.COMMUNE, _("Cấp xã")),
        )
    ]
    context = {
        "q": q,
        "groups": [(label, rows) for label, rows in groups if rows],
        "count": len(procedures),
        "suggestions": found.suggestions,
    }
    return render(request, "catalog/home.html", context)


def sees_data_notes(user: Any) -> bool:
    """The catalogue's data notes (how a value was read from the national database, what the demo chose)
    are for the officers who keep the catalogue; citizens see the procedure only."""
    return bool(user.is_authenticated and (user.is_staff or user.role in OFFICER_ROLES))


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = selectors.procedure_by_code(code)
    if procedure is None:
        raise Http404(_("Không tìm thấy thủ tục hành chính này."))
    context = {
        "procedure": procedure,
        "row": _row(procedure),
        "fees": [(fee, selectors.fee_text(fee)) for fee in procedure.fees.all()],
        "fees_by_channel": selectors.fees_by_channel(procedure),
        "steps": [
            (
                step,
                selectors.step_unit_text(step),
                selectors.duration_text(step.duration, procedure.time_limit_unit),
                len(stage) > 1,  # one of a parallel group's steps (song song)
            )
            for stage in selectors.stages(procedure.steps.all())
            for step in stage
        ],
        "has_parallel": any(len(stage) > 1 for stage in selectors.stages(procedure.steps.all())),
        "receiving_units": selectors.receiving_units(procedure),
        "data_notes": sees_data_notes(request.user),
    }
    return render(request, "catalog/procedure_detail.html", context)
