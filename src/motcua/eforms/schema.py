"""The language of a declaration form (tờ khai): what a `DeclarationForm.schema` may say, checked by JSON
Schema (`META_SCHEMA`, the `jsonschema` library) and then read into frozen dataclasses.

A form is a list of sections, each one question group shown as one page of the online submission:

    {"title": "Tờ khai đăng ký khai sinh",
     "sections": [
       {"key": "child", "title": "Thông tin người được khai sinh", "help": "…",
        "show_if": {"field": "declarant.relation", "equals": "mother"},        # optional
        "fields": [
          {"key": "full_name", "label": "Họ, chữ đệm và tên", "type": "text", "required": true,
           "max_length": 100, "searchable": true},
          {"key": "birth_date", "label": "Ngày sinh", "type": "date", "max": "today"},
          {"key": "sex", "label": "Giới tính", "type": "choice",
           "choices": [["male", "Nam"], ["female", "Nữ"]]},
          {"key": "id_number", "label": "Số định danh", "type": "id_number",
           "prefill": {"source": "population", "attribute": "citizen_id",
                       "when": {"field": "declarant.relation", "equals": "mother"}}},
          {"key": "members", "label": "Thành viên", "type": "group", "max_items": 10,
           "fields": [ … ]}]}]}

Field types: text, date (dd/mm/yyyy; `min`/`max` an ISO date or "today"), id_number (the citizen ID rules
of `core.models.citizen_id_validator`), tax_code, address (a commune of the province from `core`'s
administrative units plus the house number and street), money (integer VND; `min`/`max`), choice, group
(a repeating group of fields, `min_items`/`max_items`). A field's answer is found at its path,
"section.field" (a group's items at "section.group.0.field").

`show_if` hides a section or a field unless another field (met earlier in the form) has the given value;
a hidden question is not asked, not checked, and its answer is dropped. `prefill` names where the answer
is taken from before the applicant sees it (`eforms.prefill`): only for a verified identity.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import jsonschema
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import FieldError, ValidationFailed

FIELD_TYPES = ("text", "date", "id_number", "tax_code", "address", "money", "choice", "group")
PREFILL_SOURCES = ("profile", "population", "business", "datastore")
# What each source can give (`eforms.prefill`); "datastore" takes "<document type code>.<issued_at|issuer>".
PREFILL_ATTRIBUTES = {
    "profile": ("full_name", "citizen_id", "birth_date", "phone", "email"),
    "population": ("full_name", "citizen_id", "birth_date", "gender", "permanent_address"),
    "business": ("tax_code", "name", "head_office_address", "legal_representative"),
}
DATASTORE_ATTRIBUTES = ("issued_at", "issuer", "valid_until")

_KEY = {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,39}$"}
_CONDITION = {
    "type": "object",
    "properties": {
        "field": {"type": "string", "pattern": r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$"},
        "equals": {"type": "string"},
        "in": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    },
    "required": ["field"],
    "oneOf": [{"required": ["equals"]}, {"required": ["in"]}],
    "additionalProperties": False,
}
_FIELD: dict[str, Any] = {
    "type": "object",
    "properties": {
        "key": _KEY,
        "label": {"type": "string", "minLength": 1, "maxLength": 300},
        "type": {"enum": list(FIELD_TYPES)},
        "required": {"type": "boolean"},
        "help": {"type": "string", "maxLength": 1000},
        "min_length": {"type": "integer", "minimum": 0},
        "max_length": {"type": "integer", "minimum": 1},
        "min": {"type": ["integer", "string"]},
        "max": {"type": ["integer", "string"]},
        "choices": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "array",
                "prefixItems": [{"type": "string"}, {"type": "string"}],
                "minItems": 2,
            },
        },
        "fields": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/field"}},
        "min_items": {"type": "integer", "minimum": 0},
        "max_items": {"type": "integer", "minimum": 1},
        "show_if": {"$ref": "#/$defs/condition"},
        "prefill": {
            "type": "object",
            "properties": {
                "source": {"enum": list(PREFILL_SOURCES)},
                "attribute": {"type": "string", "minLength": 1},
                "key_field": {"type": "string"},
                "when": {"$ref": "#/$defs/condition"},
            },
            "required": ["source", "attribute"],
            "additionalProperties": False,
        },
        "searchable": {"type": "boolean"},
        "summary": {"type": "boolean"},
    },
    "required": ["key", "label", "type"],
    "additionalProperties": False,
}
META_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "title": {"type": "string", "minLength": 1},
        "sections": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "key": _KEY,
                    "title": {"type": "string", "minLength": 1},
                    "help": {"type": "string"},
                    "show_if": {"$ref": "#/$defs/condition"},
                    "fields": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/field"}},
                },
                "required": ["key", "title", "fields"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["title", "sections"],
    "additionalProperties": False,
    "$defs": {"field": _FIELD, "condition": _CONDITION},
}
_VALIDATOR = jsonschema.Draft202012Validator(META_SCHEMA)

BAD_SCHEMA = _("Mẫu tờ khai chưa đúng cấu trúc.")


@dataclass(frozen=True)
class Condition:
    field: str
    values: tuple[str, ...]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        section, _dot, rest = self.field.partition(".")
        value = (answers.get(section) or {}).get(rest)
        return value is not None and str(value) in self.values


@dataclass(frozen=True)
class Prefill:
    source: str
    attribute: str
    key_field: str = ""  # business: the field holding the tax code
    when: Condition | None = None


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: str
    required: bool = False
    help: str = ""
    min_length: int | None = None
    max_length: int | None = None
    min: int | str | None = None
    max: int | str | None = None
    choices: tuple[tuple[str, str], ...] = ()
    fields: tuple["Field", ...] = ()
    min_items: int = 0
    max_items: int = 20
    show_if: Condition | None = None
    prefill: Prefill | None = None
    searchable: bool = False
    summary: bool = False  # shown beside the applicant in the officers' work lists (the child's name…)

    def choice_label(self, value: Any) -> str:
        return next((label for key, label in self.choices if key == value), str(value or ""))


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    fields: tuple[Field, ...]
    help: str = ""
    show_if: Condition | None = None


@dataclass(frozen=True)
class FormSchema:
    title: str
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def field_count(self) -> int:
        return sum(1 for _ in self.all_fields())

    def all_fields(self) -> Iterator[tuple[str, Field]]:
        """(path, field) of every top-level field, in order."""
        for section in self.sections:
            for field in section.fields:
                yield f"{section.key}.{field.key}", field


def _condition(data: Mapping[str, Any] | None) -> Condition | None:
    if not data:
        return None
    values = (data["equals"],) if "equals" in data else tuple(data["in"])
    return Condition(field=data["field"], values=values)


def _field(data: Mapping[str, Any]) -> Field:
    prefill = data.get("prefill")
    return Field(
        key=data["key"],
        label=data["label"],
        type=data["type"],
        required=bool(data.get("required", False)),
        help=data.get("help", ""),
        min_length=data.get("min_length"),
        max_length=data.get("max_length"),
        min=data.get("min"),
        max=data.get("max"),
        choices=tuple((str(c[0]), str(c[1])) for c in data.get("choices", ())),
        fields=tuple(_field(f) for f in data.get("fields", ())),
        min_items=data.get("min_items", 0),
        max_items=data.get("max_items", 20),
        show_if=_condition(data.get("show_if")),
        prefill=Prefill(
            source=prefill["source"],
            attribute=prefill["attribute"],
            key_field=prefill.get("key_field", ""),
            when=_condition(prefill.get("when")),
        )
        if prefill
        else None,
        searchable=bool(data.get("searchable", False)),
        summary=bool(data.get("summary", False)),
    )


def _path(parts: Iterator[str | int] | Any) -> str:
    return ".".join(str(p) for p in parts) or "schema"


def parse(data: Any) -> FormSchema:
    """The form a schema describes; ValidationFailed naming each wrong place (its JSON path) otherwise."""
    errors = {
        _path(error.absolute_path): FieldError(
            error.validator if isinstance(error.validator, str) else "invalid"
        )
        for error in _VALIDATOR.iter_errors(data)
    }
    if errors:
        raise ValidationFailed(BAD_SCHEMA, code="bad_schema", fields=errors)
    schema = FormSchema(
        title=data["title"],
        sections=tuple(
            Section(
                key=s["key"],
                title=s["title"],
                help=s.get("help", ""),
                show_if=_condition(s.get("show_if")),
                fields=tuple(_field(f) for f in s["fields"]),
            )
            for s in data["sections"]
        ),
    )
    errors = _meaning_errors(schema)
    if errors:
        raise ValidationFailed(BAD_SCHEMA, code="bad_schema", fields=errors)
    return schema


def _meaning_errors(schema: FormSchema) -> dict[str, FieldError]:
    """What JSON Schema cannot say: unique keys, conditions on a field asked before, choices for a choice,
    sub-fields for a group only, a prefill attribute its source gives."""
    errors: dict[str, FieldError] = {}
    seen: dict[str, Field] = {}
    section_keys: set[str] = set()
    for i, section in enumerate(schema.sections):
        where = f"sections.{i}"
        if section.key in section_keys:
            errors[f"{where}.key"] = FieldError("duplicate", _("Mã nhóm câu hỏi bị trùng."))
        section_keys.add(section.key)
        if section.show_if and section.show_if.field not in seen:
            errors[f"{where}.show_if"] = FieldError("unknown_field", _("Điều kiện dựa trên câu hỏi chưa có."))
        local: set[str] = set()
        for j, field in enumerate(section.fields):
            errors |= _field_errors(field, f"{where}.fields.{j}", seen, local)
            seen[f"{section.key}.{field.key}"] = field
    return errors


def _field_errors(
    field: Field, where: str, seen: Mapping[str, Field], local: set[str]
) -> dict[str, FieldError]:
    errors: dict[str, FieldError] = {}
    if field.key in local:
        errors[f"{where}.key"] = FieldError("duplicate", _("Mã câu hỏi bị trùng trong nhóm."))
    local.add(field.key)
    if field.type == "choice" and not field.choices:
        errors[f"{where}.choices"] = FieldError("required", _("Câu hỏi lựa chọn cần danh sách lựa chọn."))
    if (field.type == "group") != bool(field.fields):
        errors[f"{where}.fields"] = FieldError("invalid", _("Chỉ nhóm lặp lại có các câu hỏi con."))
    if field.show_if and field.show_if.field not in seen:
        errors[f"{where}.show_if"] = FieldError("unknown_field", _("Điều kiện dựa trên câu hỏi chưa có."))
    prefill = field.prefill
    if prefill is not None:
        if prefill.source == "datastore":
            _code, _dot, attribute = prefill.attribute.partition(".")
            known = attribute in DATASTORE_ATTRIBUTES
        else:
            known = prefill.attribute in PREFILL_ATTRIBUTES[prefill.source]
        if not known:
            errors[f"{where}.prefill.attribute"] = FieldError(
                "unknown_attribute", _("Nguồn điền sẵn không cung cấp thông tin này.")
            )
        if prefill.source == "business" and prefill.key_field not in seen:
            errors[f"{where}.prefill.key_field"] = FieldError(
                "unknown_field", _("Cần chỉ rõ câu hỏi chứa mã số thuế (đã hỏi trước đó).")
            )
        if prefill.when and prefill.when.field not in seen:
            errors[f"{where}.prefill.when"] = FieldError(
                "unknown_field", _("Điều kiện dựa trên câu hỏi chưa có.")
            )
    sub: set[str] = set()
    for k, child in enumerate(field.fields):
        errors |= _field_errors(child, f"{where}.fields.{k}", seen, sub)
    return errors
