"""The shared data's JSON layout (shared/data/procedures.json; see `formats` for the layout)."""

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from motcua.catalog.exchange.published import (
    ALL_FIELDS,
    PublishedComponent,
    PublishedProcedure,
    check_codes,
    clean_lines,
    clean_text,
    component_form,
    read_count,
    read_fee,
    read_form,
    read_level,
    read_online_level,
    review_notes,
)
from motcua.catalog.time_limits import NOT_PUBLISHED, ParsedTimeLimit, parse_time_limit, published_text
from motcua.core.calendar import TimeUnit
from motcua.core.errors import ValidationFailed


def _json_time_limit(value: Any, where: str) -> tuple[ParsedTimeLimit, str]:
    limit = value if isinstance(value, dict) else {}
    note = clean_text(limit.get("note"))
    amount, unit = limit.get("amount"), limit.get("unit") or ""
    if amount is None:
        return parse_time_limit(NOT_PUBLISHED), note
    try:
        decimal = Decimal(str(amount))
        time_unit = TimeUnit(unit)
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(
            _("%(where)s: thời hạn %(amount)s %(unit)s không hợp lệ (đơn vị: %(units)s).")
            % {"where": where, "amount": amount, "unit": unit, "units": ", ".join(TimeUnit)},
            code="catalogue_time_limit",
        ) from exc
    text = published_text(decimal, time_unit)
    return ParsedTimeLimit(text=text, amount=decimal, unit=time_unit), note


def _json_procedure(item: Any, index: int) -> PublishedProcedure:
    where = _("Thủ tục thứ %(n)s") % {"n": index}
    if not isinstance(item, dict):
        raise ValidationFailed(
            _("%(where)s không phải một đối tượng JSON.") % {"where": where}, code="catalogue_format"
        )
    code = clean_text(item.get("code"))
    if not code:
        raise ValidationFailed(
            _("%(where)s thiếu mã thủ tục (code).") % {"where": where}, code="catalogue_code"
        )
    where = _("Thủ tục %(code)s") % {"code": code}
    name = clean_text(item.get("name_vi"))
    if not name:
        raise ValidationFailed(_("%(where)s thiếu tên (name_vi).") % {"where": where}, code="catalogue_name")
    limit, note = _json_time_limit(item.get("time_limit"), where)
    level_text = clean_text(item.get("level"))
    level = read_level(level_text)
    online_level = read_online_level(clean_text(item.get("online_level")))
    components = tuple(
        PublishedComponent(
            name=clean_text(c.get("name_vi")),
            form=component_form(
                clean_text(c.get("name_vi")), read_form(clean_text(c.get("form"))) or "original"
            ),
            count=read_count(c.get("count"), where),
            note=clean_text(c.get("note")),
        )
        for c in item.get("components") or []
        if isinstance(c, dict)
    )
    fees = tuple(
        read_fee(
            name=f.get("name_vi"),
            amount=f.get("amount_vnd"),
            channel=f.get("channel"),
            note=f.get("note"),
            where=where,
        )
        for f in item.get("fees") or []
        if isinstance(f, dict)
    )
    unread = {"online_level"} if online_level is None else set()
    provided = ALL_FIELDS - unread - ({"level"} if level is None else set())
    return PublishedProcedure(
        code=code,
        name=name,
        name_en=clean_text(item.get("name_en")),
        field=clean_text(item.get("field_vi")),
        level=level,
        agency=clean_text(item.get("agency_type_vi")),
        time_limit=limit,
        time_limit_note=note,
        online_level=online_level,
        legal_basis=clean_lines(item.get("legal_basis")),
        result=clean_text(item.get("result_vi")),
        components=components,
        fees=fees,
        source=clean_text(item.get("source")),
        notes=str(item.get("notes") or "").strip(),
        provided=frozenset(provided),
        review=review_notes(limit if "time_limit" in provided else None, level_text, level),
    )


def read_json(data: bytes) -> list[PublishedProcedure]:
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationFailed(
            _("Tệp JSON không đọc được: %(error)s.") % {"error": exc}, code="catalogue_format"
        ) from exc
    if isinstance(items, dict) and isinstance(items.get("procedures"), list):
        items = items["procedures"]
    if not isinstance(items, list):
        raise ValidationFailed(
            _("Tệp JSON phải là một danh sách thủ tục (như shared/data/procedures.json)."),
            code="catalogue_format",
        )
    return check_codes([_json_procedure(item, index) for index, item in enumerate(items, start=1)])
