"""Answers to a declaration form checked against its schema (`eforms.schema`).

The answers come as the applicant typed them: text for every plain field (a date as dd/mm/yyyy, or ISO
from the API; money with or without thousands separators), `{"commune": unit code, "detail": text}` for an
address, a list of such mappings for a repeating group. They come back cleaned: a date as an ISO string,
money as an integer (VND), a choice as its value, every text stripped; hidden sections and fields dropped.

Anything wrong is one `ValidationFailed` naming every wrong field by its path ("child.birth_date",
"household.members.0.id_number") with a message in Vietnamese for people and a code for programs
(`core.errors`); nothing is stored by the caller then.
"""

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import FieldError, ValidationFailed
from motcua.core.i18n import interpolate
from motcua.core.models import OrgUnit, citizen_id_validator, tax_code_validator
from motcua.eforms.schema import Field, FormSchema, Section

Answers = dict[str, dict[str, Any]]

INVALID = _("Tờ khai chưa hợp lệ: vui lòng sửa các câu trả lời được đánh dấu.")
REQUIRED = _("Vui lòng trả lời câu hỏi này.")
BAD_DATE = _("Ngày phải theo dạng ngày/tháng/năm, ví dụ 05/03/2026.")
FUTURE_DATE = _("Ngày không được sau hôm nay.")
BAD_MONEY = _("Số tiền phải là số nguyên (đồng).")
BAD_CHOICE = _("Vui lòng chọn một trong các lựa chọn.")
BAD_COMMUNE = _("Xã, phường không có trong danh mục của tỉnh.")


def visible_sections(schema: FormSchema, answers: Mapping[str, Any]) -> list[Section]:
    """The sections asked, given the answers so far (a section hidden by a condition is not)."""
    return [s for s in schema.sections if s.show_if is None or s.show_if.holds(answers)]


def validate_answers(schema: FormSchema, raw: Mapping[str, Any], *, today: date) -> Answers:
    """Every shown section checked; ValidationFailed with every wrong field's path."""
    cleaned: Answers = {}
    errors: dict[str, FieldError] = {}
    for section in schema.sections:
        if section.show_if is not None and not section.show_if.holds(cleaned):
            continue
        values, section_errors = _clean_section(section, raw.get(section.key) or {}, cleaned, today)
        cleaned[section.key] = values
        errors |= section_errors
    if errors:
        raise ValidationFailed(INVALID, code="invalid_answers", fields=errors)
    return cleaned


def validate_section(
    schema: FormSchema, section_key: str, raw: Mapping[str, Any], *, answers: Mapping[str, Any], today: date
) -> dict[str, Any]:
    """One page: the section's answers checked, the conditions read from the answers of earlier pages."""
    section = schema.section(section_key)
    if section is None:
        raise ValidationFailed(_("Không có nhóm câu hỏi này."), code="unknown_section")
    values, errors = _clean_section(section, raw, {**answers, section_key: {}}, today)
    if errors:
        raise ValidationFailed(INVALID, code="invalid_answers", fields=errors)
    return values


def _clean_section(
    section: Section, raw: Mapping[str, Any], answers: Mapping[str, Any], today: date
) -> tuple[dict[str, Any], dict[str, FieldError]]:
    values: dict[str, Any] = {}
    errors: dict[str, FieldError] = {}
    for field in section.fields:
        # a condition may name a field of this section answered above it
        if field.show_if is not None and not field.show_if.holds({**answers, section.key: values}):
            continue
        value, field_errors = clean_field(field, raw.get(field.key), f"{section.key}.{field.key}", today)
        errors |= field_errors
        if value not in (None, "", [], {}):
            values[field.key] = value
    return values, errors


def _blank(value: Any) -> bool:
    if isinstance(value, Mapping):
        return all(_blank(v) for v in value.values())
    if isinstance(value, list):
        return not value
    return value is None or str(value).strip() == ""


def clean_field(field: Field, value: Any, path: str, today: date) -> tuple[Any, dict[str, FieldError]]:
    """The cleaned answer of one field and its errors ({path: FieldError})."""
    if field.type == "group":
        return _clean_group(field, value, path, today)
    if _blank(value):
        if field.required:
            return None, {path: FieldError("required", REQUIRED)}
        return None, {}
    try:
        return CLEANERS[field.type](field, value, today), {}
    except ValidationFailed as error:
        return None, {path: FieldError(error.code, error.message)}


def _invalid(message: Any, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(message, code=code)


def _text(field: Field, value: Any, today: date) -> str:
    text = " ".join(str(value).split())
    if field.min_length is not None and len(text) < field.min_length:
        raise _invalid(interpolate(_("Cần ít nhất %(n)s ký tự."), {"n": field.min_length}), "too_short")
    if field.max_length is not None and len(text) > field.max_length:
        raise _invalid(interpolate(_("Tối đa %(n)s ký tự."), {"n": field.max_length}), "too_long")
    return text


def parse_date(value: Any) -> date | None:
    """dd/mm/yyyy (as typed) or yyyy-mm-dd (ISO, from the API or stored answers); None if neither."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _bound(bound: int | str | None, today: date) -> date | None:
    if bound is None:
        return None
    return today if bound == "today" else parse_date(bound)


def _date(field: Field, value: Any, today: date) -> str:
    day = parse_date(value)
    if day is None:
        raise _invalid(BAD_DATE, "bad_date")
    latest, earliest = _bound(field.max, today), _bound(field.min, today)
    if latest is not None and day > latest:
        if field.max == "today":
            raise _invalid(FUTURE_DATE, "in_future")
        raise _invalid(
            interpolate(_("Ngày không được sau %(day)s."), {"day": latest.strftime("%d/%m/%Y")}), "too_late"
        )
    if earliest is not None and day < earliest:
        raise _invalid(
            interpolate(_("Ngày không được trước %(day)s."), {"day": earliest.strftime("%d/%m/%Y")}),
            "too_early",
        )
    return day.isoformat()


def _by_validator(validator: Any, value: Any) -> str:
    text = re.sub(r"\s+", "", str(value))
    try:
        validator(text)
    except ValidationError as error:
        raise _invalid(error.messages[0], "bad_number") from None
    return text


def _id_number(field: Field, value: Any, today: date) -> str:
    return _by_validator(citizen_id_validator, value)


def _tax_code(field: Field, value: Any, today: date) -> str:
    return _by_validator(tax_code_validator, value)


def _money(field: Field, value: Any, today: date) -> int:
    text = re.sub(r"[\s.,]|đ$|VND$", "", str(value).strip(), flags=re.IGNORECASE)
    if not text.isdigit():
        raise _invalid(BAD_MONEY, "bad_money")
    amount = int(text)
    if isinstance(field.min, int) and amount < field.min:
        raise _invalid(
            interpolate(_("Số tiền tối thiểu %(n)s đồng."), {"n": f"{field.min:,}".replace(",", ".")}),
            "too_small",
        )
    if isinstance(field.max, int) and amount > field.max:
        raise _invalid(
            interpolate(_("Số tiền tối đa %(n)s đồng."), {"n": f"{field.max:,}".replace(",", ".")}),
            "too_large",
        )
    return amount


def _choice(field: Field, value: Any, today: date) -> str:
    text = str(value).strip()
    if text not in {key for key, _label in field.choices}:
        raise _invalid(BAD_CHOICE, "bad_choice")
    return text


def communes() -> dict[str, OrgUnit]:
    """The province's communes (core's administrative units), by unit code."""
    return {u.code: u for u in OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNE, is_active=True)}


def _address(field: Field, value: Any, today: date) -> dict[str, str]:
    if not isinstance(value, Mapping):
        value = {"detail": str(value)}
    detail = " ".join(str(value.get("detail") or "").split())
    code = str(value.get("commune") or "").strip()
    if field.required and not detail:
        raise _invalid(_("Vui lòng ghi số nhà, đường, thôn/xóm (hoặc địa chỉ đầy đủ)."), "required")
    if field.max_length is not None and len(detail) > field.max_length:
        raise _invalid(interpolate(_("Tối đa %(n)s ký tự."), {"n": field.max_length}), "too_long")
    if not code:
        return {"detail": detail}
    unit = communes().get(code)
    if unit is None:
        raise _invalid(BAD_COMMUNE, "bad_commune")
    return {"detail": detail, "commune": code, "commune_name": unit.name}


CLEANERS = {
    "text": _text,
    "date": _date,
    "id_number": _id_number,
    "tax_code": _tax_code,
    "money": _money,
    "choice": _choice,
    "address": _address,
}


def _clean_group(
    field: Field, value: Any, path: str, today: date
) -> tuple[list[dict[str, Any]], dict[str, FieldError]]:
    rows = [row for row in (value or []) if isinstance(row, Mapping) and not _blank(row)]
    errors: dict[str, FieldError] = {}
    if len(rows) < max(field.min_items, 1 if field.required else 0):
        errors[path] = FieldError(
            "too_few", interpolate(_("Cần ít nhất %(n)s dòng."), {"n": max(field.min_items, 1)})
        )
    if len(rows) > field.max_items:
        errors[path] = FieldError("too_many", interpolate(_("Tối đa %(n)s dòng."), {"n": field.max_items}))
    cleaned = []
    for i, row in enumerate(rows):
        item: dict[str, Any] = {}
        for child in field.fields:
            child_value, child_errors = clean_field(
                child, row.get(child.key), f"{path}.{i}.{child.key}", today
            )
            errors |= child_errors
            if child_value not in (None, "", [], {}):
                item[child.key] = child_value
        cleaned.append(item)
    return cleaned, errors


def display_value(field: Field, value: Any) -> str:
    """An answer as people read it (dd/mm/yyyy, 1.500.000 đồng, the choice's label, the full address)."""
    if value in (None, "", [], {}):
        return ""
    if field.type == "date":
        day = parse_date(value)
        return day.strftime("%d/%m/%Y") if day else str(value)
    if field.type == "money":
        return f"{int(value):,}".replace(",", ".") + " đồng"
    if field.type == "choice":
        return field.choice_label(value)
    if field.type == "address" and isinstance(value, Mapping):
        return ", ".join(p for p in (value.get("detail"), value.get("commune_name")) if p)
    return str(value)
