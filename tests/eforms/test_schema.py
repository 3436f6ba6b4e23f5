"""The language of a declaration form: what a schema may say, each refusal naming its place."""

import pytest

from motcua.core.errors import ValidationFailed
from motcua.demo.declarations import DECLARATIONS
from motcua.eforms.schema import parse


def form(*fields: dict, **section) -> dict:
    return {
        "title": "Tờ khai",
        "sections": [{"key": "a", "title": "Nhóm A", "fields": list(fields)} | section],
    }


NAME = {"key": "name", "label": "Họ tên", "type": "text"}

REFUSED = [
    # (schema, the place named, its code)
    ({"title": "Tờ khai", "sections": []}, "sections", "minItems"),
    (form({"key": "x", "label": "X", "type": "colour"}), "sections.0.fields.0.type", "enum"),
    (form({"key": "Bad Key", "label": "X", "type": "text"}), "sections.0.fields.0.key", "pattern"),
    (
        form({"key": "x", "label": "X", "type": "text", "colour": "red"}),
        "sections.0.fields.0",
        "additionalProperties",
    ),
    (form(NAME, NAME), "sections.0.fields.1.key", "duplicate"),
    (form({"key": "sex", "label": "Giới tính", "type": "choice"}), "sections.0.fields.0.choices", "required"),
    (form({"key": "g", "label": "G", "type": "group"}), "sections.0.fields.0.fields", "invalid"),
    (
        form({"key": "t", "label": "T", "type": "text", "fields": [NAME]}),
        "sections.0.fields.0.fields",
        "invalid",
    ),
    (
        form(
            NAME, {"key": "y", "label": "Y", "type": "text", "show_if": {"field": "a.later", "equals": "1"}}
        ),
        "sections.0.fields.1.show_if",
        "unknown_field",
    ),
    (
        form(
            {
                "key": "x",
                "label": "X",
                "type": "text",
                "prefill": {"source": "population", "attribute": "salary"},
            }
        ),
        "sections.0.fields.0.prefill.attribute",
        "unknown_attribute",
    ),
    (
        form(
            {"key": "x", "label": "X", "type": "text", "prefill": {"source": "gossip", "attribute": "name"}}
        ),
        "sections.0.fields.0.prefill.source",
        "enum",
    ),
    (
        form(
            {"key": "x", "label": "X", "type": "text", "prefill": {"source": "business", "attribute": "name"}}
        ),
        "sections.0.fields.0.prefill.key_field",
        "unknown_field",
    ),
    (form(NAME, show_if={"field": "a.name", "equals": "x"}), "sections.0.show_if", "unknown_field"),
]


@pytest.mark.parametrize(("schema", "place", "code"), REFUSED)
def test_a_wrong_schema_is_refused_naming_its_place(schema, place, code):
    with pytest.raises(ValidationFailed) as refused:
        parse(schema)
    assert refused.value.code == "bad_schema"
    assert refused.value.field_codes().get(place) == code, refused.value.field_codes()


def test_a_condition_on_an_earlier_section_and_a_group_are_understood():
    schema = parse(
        {
            "title": "Tờ khai",
            "sections": [
                {
                    "key": "a",
                    "title": "A",
                    "fields": [{"key": "k", "label": "K", "type": "choice", "choices": [["y", "Có"]]}],
                },
                {
                    "key": "b",
                    "title": "B",
                    "show_if": {"field": "a.k", "in": ["y"]},
                    "fields": [
                        {"key": "rows", "label": "Dòng", "type": "group", "fields": [NAME], "max_items": 3}
                    ],
                },
            ],
        }
    )
    assert [s.key for s in schema.sections] == ["a", "b"]
    assert schema.sections[1].show_if.holds({"a": {"k": "y"}})
    assert not schema.sections[1].show_if.holds({"a": {"k": "n"}})
    assert schema.sections[1].fields[0].fields[0].key == "name"
    assert schema.sections[1].fields[0].max_items == 3


@pytest.mark.parametrize(
    ("code", "sections", "fields"),
    [
        ("1.001193", 4, 23),
        ("1.004194", 2, 10),
        ("1.004873", 2, 7),
        ("1.001612", 2, 8),
        ("3.000333", 2, 9),
    ],
)
def test_the_demo_forms_are_valid(code, sections, fields):
    schema, legal_form, _position, _replaced = DECLARATIONS[code]
    parsed = parse(schema)
    assert (len(parsed.sections), parsed.field_count()) == (sections, fields)
    assert "Thông tư" in legal_form or "Mẫu số" in legal_form or "Nghị định" in legal_form
