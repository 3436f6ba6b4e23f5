"""A procedure as a publication gives it (`PublishedProcedure`), and the readings both layouts share.

The layouts themselves are read by `json_format` and `xlsx_format`; `formats.read_catalogue` picks one.
"""

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from motcua.catalog.fees import named_channel
from motcua.catalog.models import Fee, Procedure, ProcedureComponent
from motcua.catalog.time_limits import NOT_PUBLISHED, ParsedTimeLimit, parse_time_limit
from motcua.core.errors import ValidationFailed
from motcua.core.text import fold

MAX_PROCEDURES = 20_000  # a province publishes a few thousand; the whole national list is ~6,000

# The fields a diff compares; a source gives some or all of them (`PublishedProcedure.provided`).
ALL_FIELDS = frozenset(
    {
        "name",
        "name_en",
        "field",
        "level",
        "agency",
        "time_limit",
        "online_level",
        "legal_basis",
        "result",
        "components",
        "fees",
    }
)

# Component forms of the shared data → the catalogue's; "bản chính hoặc bản sao có chứng thực": the
# certified copy is the least the applicant must bring.
JSON_FORMS: dict[str, str] = {
    "original": ProcedureComponent.Form.ORIGINAL,
    "certified_copy": ProcedureComponent.Form.CERTIFIED_COPY,
    "copy": ProcedureComponent.Form.COPY,
    "present": ProcedureComponent.Form.PRESENT,
    "original_or_certified_copy": ProcedureComponent.Form.CERTIFIED_COPY,
}


@dataclass(frozen=True)
class PublishedComponent:
    name: str
    form: str  # ProcedureComponent.Form
    count: int = 1
    note: str = ""


@dataclass(frozen=True)
class PublishedFee:
    name: str
    amount_vnd: int | None  # None: not published (set by the provincial council, varies)
    channel: str = Fee.Channel.ALL
    note: str = ""


@dataclass(frozen=True)
class PublishedProcedure:
    """One procedure as a publication gives it; `provided` names the fields the source carried."""

    code: str
    name: str
    field: str = ""
    level: str | None = None  # Procedure.Level; None when not given or not readable
    agency: str = ""
    name_en: str = ""
    time_limit: ParsedTimeLimit = dataclasses.field(default_factory=lambda: parse_time_limit(NOT_PUBLISHED))
    time_limit_note: str = ""
    online_level: str | None = None  # Procedure.OnlineLevel; None when not given or not readable
    legal_basis: tuple[str, ...] = ()
    result: str = ""
    components: tuple[PublishedComponent, ...] = ()
    fees: tuple[PublishedFee, ...] = ()
    source: str = ""
    notes: str = ""
    provided: frozenset[str] = ALL_FIELDS
    review: tuple[str, ...] = ()  # what the reader could not read for sure, for the officer


def clean_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def clean_lines(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        items = [clean_text(item) for item in value]
    else:
        items = [clean_text(line) for line in str(value or "").splitlines()]
    return tuple(item for item in items if item)


def read_choice(text: str, choices: Iterable[tuple[str, Any]]) -> str | None:
    """The choice whose code or label is `text` (case and diacritics ignored), or None."""
    wanted = fold(text)
    for value, label in choices:
        if wanted and wanted in (fold(str(value)), fold(str(label))):
            return str(value)
    return None


def read_level(text: str) -> str | None:
    """ "commune", "Cấp xã" → commune; "Cấp tỉnh" → province; anything else (several levels) → None."""
    return read_choice(text, Procedure.Level.choices)


def read_online_level(text: str) -> str | None:
    return read_choice(text, Procedure.OnlineLevel.choices)


def read_form(text: str) -> str | None:
    return JSON_FORMS.get(text) or read_choice(text, ProcedureComponent.Form.choices)


def component_form(name: str, form: str) -> str:
    """A paper the applicant shows ("xuất trình"), not hands in, is `present` whatever its form."""
    shown = "xuat trinh" in fold(name)
    keeps = form in (ProcedureComponent.Form.ORIGINAL, ProcedureComponent.Form.CERTIFIED_COPY)
    return ProcedureComponent.Form.PRESENT if shown and keeps else form


# "50.000", "50,000 Việt Nam Đồng", "50.000 đồng", "50000 VNĐ" (folded: no marks, lower case).
VND = re.compile(r"^(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:dong|vnd|viet nam dong|d)?$")


def read_amount_vnd(value: Any, where: str) -> int | None:
    """A fee in đồng: a number, or a text in đồng; "Miễn phí" is 0; empty is not published (None). Any
    other currency or wording is refused, never converted."""
    if value is None or value == "":
        return None
    amount: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        amount = value
    elif isinstance(value, float) and value.is_integer():
        amount = int(value)
    elif isinstance(value, str):
        text = fold(value)
        found = VND.match(text)
        amount = 0 if text == "mien phi" else int(re.sub(r"\D", "", found[1])) if found else None
    if amount is None or amount < 0:
        raise ValidationFailed(
            _("%(where)s: mức thu “%(value)s” không phải số tiền (đồng).") % {"where": where, "value": value},
            code="catalogue_fee",
        )
    return amount


def read_fee(*, name: Any, amount: Any, channel: Any, note: Any, where: str) -> PublishedFee:
    """One fee as either layout gives it: the channel read from its column, else from the fee's name."""
    text = clean_text(name)
    return PublishedFee(
        name=text,
        amount_vnd=read_amount_vnd(amount, where),
        channel=read_choice(clean_text(channel), Fee.Channel.choices)
        or named_channel(text)
        or Fee.Channel.ALL,
        note=clean_text(note),
    )


def read_count(value: Any, where: str) -> int:
    """How many copies of a component: a whole number from 0 ("0 bản chính": not needed in some cases);
    empty is 1."""
    if value is None or value == "":
        return 1
    text = clean_text(value)
    if not text.isdigit():
        raise ValidationFailed(
            _("%(where)s: số lượng “%(value)s” không phải số nguyên.") % {"where": where, "value": value},
            code="catalogue_component",
        )
    return int(text)


def review_notes(limit: ParsedTimeLimit | None, level_text: str, level: str | None) -> tuple[str, ...]:
    notes: list[str] = []
    if limit is not None and limit.needs_review:
        notes.append(
            _("Thời hạn “%(text)s”: %(reason)s")
            % {"text": limit.text or NOT_PUBLISHED, "reason": limit.reason}
        )
    if level_text and level is None:
        notes.append(_("Cấp thực hiện “%(level)s” không đọc được.") % {"level": level_text})
    return tuple(notes)


def check_codes(procedures: list[PublishedProcedure]) -> list[PublishedProcedure]:
    if len(procedures) > MAX_PROCEDURES:
        raise ValidationFailed(
            _("Tệp có %(count)s thủ tục, quá giới hạn %(max)s.")
            % {"count": len(procedures), "max": MAX_PROCEDURES},
            code="catalogue_too_large",
        )
    seen: set[str] = set()
    for procedure in procedures:
        if procedure.code in seen:
            raise ValidationFailed(
                _("Mã thủ tục %(code)s xuất hiện nhiều lần trong tệp.") % {"code": procedure.code},
                code="catalogue_duplicate_code",
            )
        seen.add(procedure.code)
    return procedures
