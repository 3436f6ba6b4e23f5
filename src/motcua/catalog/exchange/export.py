"""The catalogue written in the layouts `formats` reads (JSON of the shared data, XLSX of the national list),
so that export → import → diff finds no change."""

import io
import json
from decimal import Decimal
from typing import Any

from motcua.catalog.exchange.published import PublishedProcedure
from motcua.catalog.exchange.xlsx_format import (
    COMPONENT_COLUMNS,
    COMPONENT_SHEET,
    FEE_COLUMNS,
    FEE_SHEET,
    MAIN_COLUMNS,
    MAIN_SHEET,
    TITLE,
)
from motcua.catalog.models import Fee, Procedure, ProcedureComponent
from motcua.catalog.time_limits import published_text


def _number(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral() else float(amount)


def _label(choices: Any, value: str | None) -> str:
    return str(choices(value).label) if value in choices.values else ""


def procedure_json(p: PublishedProcedure) -> dict[str, Any]:
    """One procedure in the shared data's layout (shared/data/README.md), with each fee's channel."""
    limit = p.time_limit
    return {
        "code": p.code,
        "name_vi": p.name,
        "name_en": p.name_en,
        "field_vi": p.field,
        "level": p.level or "",
        "agency_type_vi": p.agency,
        "time_limit": {
            "amount": _number(limit.amount) if limit.amount is not None else None,
            "unit": limit.unit.value if limit.amount is not None and limit.unit else None,
            "note": p.time_limit_note,
        },
        "fees": [
            {"name_vi": f.name, "amount_vnd": f.amount_vnd, "channel": f.channel, "note": f.note}
            for f in p.fees
        ],
        "components": [
            {"name_vi": c.name, "form": c.form, "count": c.count, "note": c.note} for c in p.components
        ],
        "online_level": _label(Procedure.OnlineLevel, p.online_level),
        "legal_basis": list(p.legal_basis),
        "result_vi": p.result,
        "source": p.source,
        "notes": p.notes,
    }


def to_json(procedures: list[PublishedProcedure]) -> bytes:
    items = [procedure_json(p) for p in procedures]
    return (json.dumps(items, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def to_xlsx(procedures: list[PublishedProcedure]) -> bytes:
    """The national list's sheet (title row, its five columns, then the detail page's) and the components'
    and fees' sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    main = book.active
    assert main is not None
    main.title = MAIN_SHEET
    headings = [headings[0] for headings in MAIN_COLUMNS.values()]
    main.append([TITLE])
    main.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headings))
    main.cell(row=1, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
    main.row_dimensions[1].height = 90
    main.append(headings)
    for p in procedures:
        limit = p.time_limit
        row = {
            "code": p.code,
            "name": p.name,
            "issuer": "",  # the issuing ministry: not kept by the catalogue
            "agency": p.agency,
            "field": p.field,
            "level": _label(Procedure.Level, p.level),
            "time_limit": published_text(limit.amount, limit.unit or ""),
            "online_level": _label(Procedure.OnlineLevel, p.online_level),
            "legal_basis": "\n".join(p.legal_basis),
            "result": p.result,
            "name_en": p.name_en,
        }
        main.append([row[key] for key in MAIN_COLUMNS])
    components = book.create_sheet(COMPONENT_SHEET)
    components.append([headings[0] for headings in COMPONENT_COLUMNS.values()])
    fees = book.create_sheet(FEE_SHEET)
    fees.append([headings[0] for headings in FEE_COLUMNS.values()])
    for p in procedures:
        for position, c in enumerate(p.components, start=1):
            form = _label(ProcedureComponent.Form, c.form) or c.form
            components.append([p.code, position, c.name, form, c.count, c.note])
        for position, f in enumerate(p.fees, start=1):
            fees.append([p.code, position, f.name, _label(Fee.Channel, f.channel), f.amount_vnd, f.note])
    for sheet in (main, components, fees):
        for cell in sheet[2 if sheet is main else 1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
