"""What a publication changes in the catalogue: new codes, gone codes, and the fields that differ.

`diff_catalogue` compares a publication (`formats.read_catalogue`) with the published procedures in the
database (`snapshot.current_catalogue`), by code. It is pure and read-only: applying it is a publication
decision (`apply.apply_diff`). A field the publication does not carry
(`PublishedProcedure.provided`) is not compared: the national list's five columns say nothing of fees.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.catalog.exchange.published import PublishedComponent, PublishedFee, PublishedProcedure
from motcua.catalog.exchange.snapshot import current_catalogue
from motcua.catalog.models import Fee, Procedure, ProcedureComponent
from motcua.catalog.time_limits import published_text
from motcua.core.formatting import format_vnd

type FieldValue = str | tuple[str, ...]

# The compared fields, in the order a report lists them, with their names for people.
FIELD_LABELS: dict[str, Promise] = {
    "name": _("Tên thủ tục"),
    "name_en": _("Tên tiếng Anh"),
    "field": _("Lĩnh vực"),
    "level": _("Cấp thực hiện"),
    "agency": _("Cơ quan thực hiện"),
    "time_limit": _("Thời hạn giải quyết"),
    "online_level": _("Mức độ trực tuyến"),
    "legal_basis": _("Căn cứ pháp lý"),
    "result": _("Kết quả thực hiện"),
    "components": _("Thành phần hồ sơ"),
    "fees": _("Phí, lệ phí"),
}


@dataclass(frozen=True)
class FieldChange:
    field: str  # a key of FIELD_LABELS
    old: FieldValue  # as a report shows it; a list field is one line per item
    new: FieldValue

    @property
    def label(self) -> str:
        return str(FIELD_LABELS[self.field])

    @property
    def added(self) -> tuple[str, ...]:
        """Items of a list field the publication adds."""
        return tuple(item for item in _items(self.new) if item not in _items(self.old))

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(item for item in _items(self.old) if item not in _items(self.new))


@dataclass(frozen=True)
class ProcedureChange:
    code: str
    name: str
    changes: tuple[FieldChange, ...]
    published: PublishedProcedure

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(change.field for change in self.changes)


@dataclass(frozen=True)
class GoneProcedure:
    code: str
    name: str


@dataclass(frozen=True)
class CatalogueDiff:
    new: tuple[PublishedProcedure, ...]
    changed: tuple[ProcedureChange, ...]
    gone: tuple[GoneProcedure, ...]
    unchanged: int

    @property
    def is_empty(self) -> bool:
        return not (self.new or self.changed or self.gone)


def _items(value: FieldValue) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,) if value else ()


def _label(choices: type[Procedure.Level] | type[Procedure.OnlineLevel], value: str | None) -> str:
    return str(choices(value).label) if value in choices.values else ""


def _component(c: PublishedComponent) -> str:
    form = ProcedureComponent.Form(c.form).label if c.form in ProcedureComponent.Form.values else c.form
    return f"{c.name} — {form} × {c.count}"


def _fee(f: PublishedFee) -> str:
    if f.amount_vnd is None:
        amount = gettext("chưa công bố")
    elif f.amount_vnd == 0:
        amount = gettext("miễn phí")
    else:
        amount = format_vnd(f.amount_vnd)
    channel = Fee.Channel(f.channel).label if f.channel in Fee.Channel.values else f.channel
    return f"{f.name} — {amount} — {channel}"


VALUES: dict[str, Callable[[PublishedProcedure], FieldValue]] = {
    "name": lambda p: p.name,
    "name_en": lambda p: p.name_en,
    "field": lambda p: p.field,
    "level": lambda p: _label(Procedure.Level, p.level),
    "agency": lambda p: p.agency,
    "time_limit": lambda p: (
        published_text(p.time_limit.amount, p.time_limit.unit or "")
        if p.time_limit.amount is not None
        else ""
    ),
    "online_level": lambda p: _label(Procedure.OnlineLevel, p.online_level),
    "legal_basis": lambda p: p.legal_basis,
    "result": lambda p: p.result,
    "components": lambda p: tuple(_component(c) for c in p.components),
    "fees": lambda p: tuple(_fee(f) for f in p.fees),
}


def compare(current: PublishedProcedure, published: PublishedProcedure) -> tuple[FieldChange, ...]:
    """The fields `published` carries whose value differs from `current`'s, in FIELD_LABELS' order."""
    changes = []
    for field in FIELD_LABELS:
        if field not in published.provided:
            continue
        old, new = VALUES[field](current), VALUES[field](published)
        if old != new:
            changes.append(FieldChange(field=field, old=old, new=new))
    return tuple(changes)


def diff_catalogue(
    published: list[PublishedProcedure], *, current: list[PublishedProcedure] | None = None
) -> CatalogueDiff:
    """The publication against the catalogue (`current`, read from the database when not given)."""
    catalogue = {p.code: p for p in (current_catalogue() if current is None else current)}
    codes = {p.code for p in published}
    new, changed, unchanged = [], [], 0
    for procedure in sorted(published, key=lambda p: p.code):
        existing = catalogue.get(procedure.code)
        if existing is None:
            new.append(procedure)
            continue
        changes = compare(existing, procedure)
        if changes:
            changed.append(ProcedureChange(procedure.code, existing.name, changes, procedure))
        else:
            unchanged += 1
    gone = [GoneProcedure(code, p.name) for code, p in sorted(catalogue.items()) if code not in codes]
    return CatalogueDiff(new=tuple(new), changed=tuple(changed), gone=tuple(gone), unchanged=unchanged)
