"""A declaration's section as a Django form, rendered on the server (one question group a page, in the
portal's GOV.UK style: a label, a hint, the error next to the field, "(không bắt buộc)" on what may be
left empty).

The form only carries what was typed: every rule is `eforms.validation`'s, whose errors (by path) are put
back on the fields here (`show_errors`). Dates are typed dd/mm/yyyy; an address is a commune of the
province (a list) and the house number/street; a repeating group shows its rows and one empty row more.
"""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError
from motcua.eforms.schema import Field, Section
from motcua.eforms.validation import communes, parse_date

SEP = "__"
OPTIONAL = _("(không bắt buộc)")
DATE_HINT = _("Theo dạng ngày/tháng/năm, ví dụ 05/03/2026.")


def _label(field: Field) -> str:
    return str(field.label) if field.required else f"{field.label} {OPTIONAL}"


def _shown(field: Field, value: Any) -> Any:
    """A stored answer as the applicant types it (dd/mm/yyyy)."""
    if field.type == "date" and value:
        day = parse_date(value)
        return day.strftime("%d/%m/%Y") if day else value
    return value


def _widget_attrs(field: Field) -> dict[str, str]:
    if field.type in ("date", "id_number", "tax_code", "money"):
        attrs = {"inputmode": "numeric", "spellcheck": "false"}
        if field.type == "date":
            attrs |= {"placeholder": "dd/mm/yyyy", "autocomplete": "off"}
        return attrs
    return {}


def _django_field(field: Field, commune_choices: list[tuple[str, str]]) -> forms.Field:
    help_text = " ".join(str(h) for h in (field.help, DATE_HINT if field.type == "date" else "") if h)
    if field.type == "choice":
        choices = list(field.choices)
        radios = len(choices) <= 5
        return forms.ChoiceField(
            label=_label(field),
            help_text=help_text,
            required=False,
            choices=choices if radios else [("", "—"), *choices],
            widget=forms.RadioSelect if radios else forms.Select,
        )
    return forms.CharField(
        label=_label(field),
        help_text=help_text,
        required=False,
        widget=forms.TextInput(attrs=_widget_attrs(field)),
    )


class SectionForm(forms.Form):
    """The fields of one section; `raw_answers()` gives what was typed in the shape of the answers."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        section: Section,
        answers: Mapping[str, Any] | None = None,
        hidden: frozenset[str] = frozenset(),
    ) -> None:
        self.section = section
        self.asked = [f for f in section.fields if f.key not in hidden]
        answers = answers or {}
        self.rows = {
            f.key: self._row_count(f, answers.get(f.key), data) for f in self.asked if f.type == "group"
        }
        super().__init__(data, initial=self._initial(answers), label_suffix="")
        commune_choices = sorted((u.code, u.name) for u in communes().values())
        for field in self.asked:
            if field.type == "address":
                self.fields[f"{field.key}{SEP}commune"] = forms.ChoiceField(
                    label=_("%(label)s – xã, phường") % {"label": field.label},
                    required=False,
                    choices=[
                        ("", _("— Ngoài tỉnh hoặc chưa rõ —")),
                        *sorted(commune_choices, key=lambda c: c[1]),
                    ],
                )
                self.fields[f"{field.key}{SEP}detail"] = forms.CharField(
                    label=_label(field),
                    help_text=field.help
                    or _("Số nhà, đường/phố, thôn/xóm; hoặc địa chỉ đầy đủ nếu ở tỉnh khác."),
                    required=False,
                )
            elif field.type == "group":
                for i in range(self.rows[field.key]):
                    for child in field.fields:
                        django_field = _django_field(child, commune_choices)
                        django_field.label = f"{field.label} {i + 1} – {django_field.label}"
                        self.fields[f"{field.key}{SEP}{i}{SEP}{child.key}"] = django_field
            else:
                self.fields[field.key] = _django_field(field, commune_choices)

    @staticmethod
    def _row_count(field: Field, value: Any, data: Mapping[str, Any] | None) -> int:
        given = len(value) if isinstance(value, list) else 0
        if data is not None:
            prefix = f"{field.key}{SEP}"
            indices = {
                int(k.split(SEP)[1]) for k in data if k.startswith(prefix) and k.split(SEP)[1].isdigit()
            }
            given = max(given, max(indices, default=-1) + 1)
            if data.get("action") == f"add{SEP}{field.key}":
                given += 1
        wanted = max(given + (0 if data is not None else 1), field.min_items, 1)
        return min(wanted, field.max_items)

    def _initial(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for field in self.asked:
            value = answers.get(field.key)
            if field.type == "address" and isinstance(value, Mapping):
                initial[f"{field.key}{SEP}commune"] = value.get("commune", "")
                initial[f"{field.key}{SEP}detail"] = value.get("detail", "")
            elif field.type == "group" and isinstance(value, list):
                for i, row in enumerate(value):
                    for child in field.fields:
                        initial[f"{field.key}{SEP}{i}{SEP}{child.key}"] = _shown(
                            child, (row or {}).get(child.key)
                        )
            elif value is not None:
                initial[field.key] = _shown(field, value)
        return initial

    def raw_answers(self) -> dict[str, Any]:
        """What was typed, keyed like the section's answers (call after `is_valid()`)."""
        data = self.cleaned_data
        raw: dict[str, Any] = {}
        for field in self.asked:
            if field.type == "address":
                raw[field.key] = {
                    "commune": data.get(f"{field.key}{SEP}commune", ""),
                    "detail": data.get(f"{field.key}{SEP}detail", ""),
                }
            elif field.type == "group":
                raw[field.key] = [
                    {
                        child.key: data.get(f"{field.key}{SEP}{i}{SEP}{child.key}", "")
                        for child in field.fields
                    }
                    for i in range(self.rows[field.key])
                ]
            else:
                raw[field.key] = data.get(field.key, "")
        return raw

    def show_errors(self, error: DomainError) -> None:
        """Each field's message (`validation`'s paths) next to its field; the rest on top."""
        shown = False
        for path, field_error in error.fields.items():
            message = str(field_error.message if field_error.message is not None else error.message)
            parts = path.split(".")[1:]  # without the section's key
            name = SEP.join(parts)
            if name not in self.fields and f"{name}{SEP}detail" in self.fields:
                name = f"{name}{SEP}detail"
            if name in self.fields:
                self.add_error(name, message)
                shown = True
            else:
                self.add_error(None, message)
        if not shown and not error.fields:
            self.add_error(None, str(error.message))
