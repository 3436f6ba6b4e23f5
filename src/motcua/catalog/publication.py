"""The catalogue as the province publishes it: decisions of the chairman that announce, amend, replace and
abolish procedures, each from the decision's effective date (docs/domain.md, Catalogue versions).

A version is a `Procedure` row. A procedure is its code; its versions never overlap: version n is in force
from `effective_from` (null: since before the system) up to the day before `effective_to` (null: open), and
version n + 1 starts the day version n ends. A dossier points at the row it was received under and keeps it
for life; new dossiers and the public look procedures up with `Procedure.objects.in_force(day)`.

The acts (plain functions, each atomic, each writing the decision's item and an audit record):

- `record_decision(...)` the decision itself (number, signing, signer, effective date, the legal basis's
  effective date for indicator 1.1, the day it was made public on the national database for 1.2);
  `record_national_publication(...)` that day, once known.
- `announce(decision=, data=, components=, fees=, steps=)` version 1 of a new code (or the next version
  of a code whose last version is closed), in force from the decision's effective date.
- `amend(procedure=, changes=, decision=)` copies the code's open version (with its components, fees and
  process steps) into version + 1 in force from the decision's effective date, applies `changes`
  ({field: value}, and optionally "components", "fees", "steps": the whole new lists), and closes the
  previous version on that day.
- `replace(old=, data=, decision=)` closes `old` on the effective date; the new procedure (its own code, or
  the same code as the next version) starts that day, built from `data` alone (nothing copied).
- `abolish(procedure=, decision=)` closes the open version on the effective date: the portal stops listing
  it from that day; its dossiers keep it and stay readable.
- `apply_changes(decision=, changes=)` a batch of `Change`s in one transaction (the catalogue import
  applies its diff with it): all or nothing.

`Change` (the batch's input, plain and typed):

    Change(code="1.001193", kind=DecisionItem.Kind.AMEND,
           fields={"time_limit_amount": Decimal("5")}, steps=[{...}, ...])

- `code`: the procedure's code (for ANNOUNCE the new code; for REPLACE the code replaced);
- `kind`: a `DecisionItem.Kind` value ("announce", "amend", "replace", "abolish");
- `fields`: {Procedure field name: new value}: for AMEND only what changes; for ANNOUNCE and REPLACE the
  new procedure's fields (REPLACE may give a new "code"; without one the same code gets the next version);
  nothing for ABOLISH. A foreign key is given as its object (`responsible_unit`) or its id
  (`responsible_unit_id`). Unknown or versioning fields (`version`, `effective_from`, `effective_to`) are
  refused;
- `components`, `fees`, `steps`: None keeps the copied rows (AMEND) or means none; a list replaces them
  all, each a dict of the row's fields without `procedure` and `position` (the list order is the position).

Guards (ValidationFailed, nothing changed): an effective date before the decision's signing; amending,
replacing or abolishing a code whose last version is closed (abolished or replaced); announcing a code that
has an open version; an effective date on or before the start of the code's open version (two versions
would be in force the same day, or one for no day at all); **a second change of a code while an earlier
one is pending** (its version starts after today): refused rather than stacked, so that what is published
on any day is decided by one decision; the province records the later decision once the pending one is in
force, or corrects the pending one in the admin; step durations that do not add up to the time limit.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.fees import check_fee_channel
from motcua.catalog.models import (
    DecisionItem,
    Fee,
    Procedure,
    ProcedureComponent,
    ProcessStep,
    PublicationDecision,
)
from motcua.catalog.selectors import format_amount, process_total
from motcua.core import audit, formatting
from motcua.core.errors import ValidationFailed, invalid_fields
from motcua.core.models import User

Kind = DecisionItem.Kind

# Sent after a version is copied into the next (amend), in the act's transaction: apps that key rows on a
# procedure or its components (documents' component and result types) carry them over. `components` maps
# the previous version's component ids to the new version's, by position.
version_created = Signal()  # kwargs: previous, procedure, components: dict[int, int]

VERSIONING_FIELDS = frozenset({"id", "code", "version", "effective_from", "effective_to"})
CHILDREN: dict[str, type[models.Model]] = {
    "components": ProcedureComponent,
    "fees": Fee,
    "steps": ProcessStep,
}


@dataclass(frozen=True)
class Change:
    """One procedure of a decision (see the module docstring)."""

    code: str
    kind: str  # a DecisionItem.Kind value
    fields: Mapping[str, Any] = field(default_factory=dict)
    components: Sequence[Mapping[str, Any]] | None = None
    fees: Sequence[Mapping[str, Any]] | None = None
    steps: Sequence[Mapping[str, Any]] | None = None

    def children(self) -> dict[str, Sequence[Mapping[str, Any]] | None]:
        return {"components": self.components, "fees": self.fees, "steps": self.steps}


def _day(d: date) -> str:
    return formatting.format_date(d)


def _fail(message: Any, code: str, **details: Any) -> ValidationFailed:
    return ValidationFailed(message, code=code, **details)


# --- the decision --------------------------------------------------------------------------------------


@transaction.atomic
def record_decision(
    *,
    number: str,
    signed_on: date,
    signer: str,
    effective_on: date,
    acting_user: User | None,
    legal_basis_effective_on: date | None = None,
    national_db_published_on: date | None = None,
    document: "File[Any] | None" = None,
    notes: str = "",
) -> PublicationDecision:
    """A publication decision as signed; its items come from the acts below."""
    number = number.strip()
    errors = {}
    if not number:
        errors["number"] = str(_("Nhập số quyết định."))
    elif PublicationDecision.objects.filter(number=number).exists():
        errors["number"] = str(_("Đã có quyết định số “%(number)s”.") % {"number": number})
    if not signer.strip():
        errors["signer"] = str(_("Nhập người ký quyết định."))
    if effective_on < signed_on:
        errors["effective_on"] = str(_not_before_signing(effective_on, signed_on))
    if national_db_published_on is not None and national_db_published_on < signed_on:
        errors["national_db_published_on"] = str(
            _("Ngày công khai trên CSDL quốc gia (%(day)s) không thể trước ngày ký (%(signed)s).")
            % {"day": _day(national_db_published_on), "signed": _day(signed_on)}
        )
    if errors:
        raise ValidationFailed(
            next(iter(errors.values())), code="invalid_decision", fields=invalid_fields(errors)
        )
    decision = PublicationDecision(
        number=number,
        signed_on=signed_on,
        signer=signer.strip(),
        effective_on=effective_on,
        legal_basis_effective_on=legal_basis_effective_on,
        national_db_published_on=national_db_published_on,
        notes=notes,
        created_by=acting_user,
    )
    if document is not None:
        decision.document.save(document.name or "quyet-dinh", document, save=False)
    decision.save()
    audit.record("publication_decision_recorded", user=acting_user, decision_id=decision.pk)
    return decision


def _not_before_signing(effective_on: date, signed_on: date) -> Any:
    return _("Ngày có hiệu lực (%(day)s) không thể trước ngày ký quyết định (%(signed)s).") % {
        "day": _day(effective_on),
        "signed": _day(signed_on),
    }


@transaction.atomic
def record_national_publication(
    *, decision: PublicationDecision, published_on: date, acting_user: User | None
) -> PublicationDecision:
    """The day the decision's procedures were made public on the national database (indicator 1.2)."""
    if published_on < decision.signed_on:
        raise _fail(
            _("Ngày công khai trên CSDL quốc gia (%(day)s) không thể trước ngày ký (%(signed)s).")
            % {"day": _day(published_on), "signed": _day(decision.signed_on)},
            "published_before_signing",
        )
    decision.national_db_published_on = published_on
    decision.save(update_fields=["national_db_published_on"])
    audit.record("publication_decision_published", user=acting_user, decision_id=decision.pk)
    return decision


# --- the acts ------------------------------------------------------------------------------------------


@transaction.atomic
def announce(
    *,
    decision: PublicationDecision,
    data: Mapping[str, Any],
    components: Sequence[Mapping[str, Any]] = (),
    fees: Sequence[Mapping[str, Any]] = (),
    steps: Sequence[Mapping[str, Any]] = (),
    acting_user: User | None = None,
    today: date | None = None,
) -> Procedure:
    """A new procedure (`data` holds its "code" and fields), in force from the decision's effective date."""
    _check_decision(decision)
    code = str(data.get("code") or "").strip()
    if not code:
        raise _fail(_("Thiếu mã thủ tục."), "missing_code")
    last = _last_version(code)
    if last is not None:
        _check_closed_before(last, decision.effective_on)
    procedure = _new_version(
        code=code,
        version=last.version + 1 if last else 1,
        base=None,
        fields={k: v for k, v in data.items() if k != "code"},
        children={"components": components, "fees": fees, "steps": steps},
        effective_from=decision.effective_on,
    )
    return _item(decision, Kind.ANNOUNCE, procedure, None, acting_user)


@transaction.atomic
def amend(
    *,
    procedure: Procedure,
    changes: Mapping[str, Any],
    decision: PublicationDecision,
    acting_user: User | None = None,
    today: date | None = None,
) -> Procedure:
    """The code's next version: the open version copied with `changes` applied (see the module docstring)."""
    _check_decision(decision)
    previous = _open_version(procedure.code, decision, today)
    fields = {k: v for k, v in changes.items() if k not in CHILDREN}
    children = {name: changes.get(name) for name in CHILDREN}
    new = _new_version(
        code=previous.code,
        version=previous.version + 1,
        base=previous,
        fields=fields,
        children=children,
        effective_from=decision.effective_on,
    )
    _close(previous, decision.effective_on)
    _check_no_overlap(previous.code)
    return _item(decision, Kind.AMEND, new, previous, acting_user)


@transaction.atomic
def replace(
    *,
    old: Procedure,
    data: Mapping[str, Any],
    decision: PublicationDecision,
    components: Sequence[Mapping[str, Any]] = (),
    fees: Sequence[Mapping[str, Any]] = (),
    steps: Sequence[Mapping[str, Any]] = (),
    acting_user: User | None = None,
    today: date | None = None,
) -> Procedure:
    """`old` ends on the effective date; the procedure of `data` (a new code, or `old`'s next version)
    starts that day."""
    _check_decision(decision)
    previous = _open_version(old.code, decision, today)
    code = str(data.get("code") or previous.code).strip()
    _close(previous, decision.effective_on)
    if code == previous.code:
        version = previous.version + 1
    else:
        last = _last_version(code)
        if last is not None:
            _check_closed_before(last, decision.effective_on)
        version = last.version + 1 if last else 1
    new = _new_version(
        code=code,
        version=version,
        base=None,
        fields={k: v for k, v in data.items() if k != "code"},
        children={"components": components, "fees": fees, "steps": steps},
        effective_from=decision.effective_on,
    )
    _check_no_overlap(previous.code)
    _check_no_overlap(code)
    return _item(decision, Kind.REPLACE, new, previous, acting_user)


@transaction.atomic
def abolish(
    *,
    procedure: Procedure,
    decision: PublicationDecision,
    acting_user: User | None = None,
    today: date | None = None,
) -> Procedure:
    """The code's open version ends on the decision's effective date; its dossiers keep it."""
    _check_decision(decision)
    previous = _open_version(procedure.code, decision, today)
    _close(previous, decision.effective_on)
    _check_no_overlap(previous.code)
    return _item(decision, Kind.ABOLISH, previous, None, acting_user)


@transaction.atomic
def apply_changes(
    *,
    decision: PublicationDecision,
    changes: Iterable[Change],
    acting_user: User | None = None,
    today: date | None = None,
) -> list[DecisionItem]:
    """Every change of the batch, in order, in one transaction: the first refused one refuses them all
    (its message names the code)."""
    items = []
    for change in changes:
        try:
            items.append(_apply_one(decision, change, acting_user, today))
        except ValidationFailed as error:
            raise ValidationFailed(
                _("Thủ tục %(code)s: %(message)s") % {"code": change.code, "message": error.message},
                code=error.code,
                fields=error.fields,
                procedure_code=change.code,
                **error.details,
            ) from error
    return items


def _apply_one(
    decision: PublicationDecision, change: Change, acting_user: User | None, today: date | None
) -> DecisionItem:
    kind = change.kind
    if kind == Kind.ANNOUNCE:
        announce(
            decision=decision,
            data={**change.fields, "code": change.code},
            components=change.components or (),
            fees=change.fees or (),
            steps=change.steps or (),
            acting_user=acting_user,
            today=today,
        )
    elif kind in (Kind.AMEND, Kind.REPLACE, Kind.ABOLISH):
        current = _last_version(change.code)
        if current is None:
            raise _fail(_("Không có thủ tục mã này trong danh mục."), "unknown_procedure")
        if kind == Kind.AMEND:
            given = {name: rows for name, rows in change.children().items() if rows is not None}
            amend(
                procedure=current,
                changes={**change.fields, **given},
                decision=decision,
                acting_user=acting_user,
                today=today,
            )
        elif kind == Kind.REPLACE:
            replace(
                old=current,
                data=change.fields,
                decision=decision,
                components=change.components or (),
                fees=change.fees or (),
                steps=change.steps or (),
                acting_user=acting_user,
                today=today,
            )
        else:
            abolish(procedure=current, decision=decision, acting_user=acting_user, today=today)
    else:
        raise _fail(_("Loại thay đổi không hợp lệ: “%(kind)s”.") % {"kind": kind}, "invalid_kind")
    return decision.items.order_by("-pk").first()  # type: ignore[return-value]  # the one just written


# --- versions ------------------------------------------------------------------------------------------


def _check_decision(decision: PublicationDecision) -> None:
    if decision.pk is None:
        raise _fail(_("Quyết định chưa được ghi."), "decision_not_recorded")
    if decision.effective_on < decision.signed_on:
        raise _fail(
            _not_before_signing(decision.effective_on, decision.signed_on), "effective_before_signing"
        )


def _last_version(code: str) -> Procedure | None:
    """The code's latest version, locked until the end of the transaction."""
    return Procedure.objects.select_for_update().filter(code=code).order_by("-version").first()


def _open_version(code: str, decision: PublicationDecision, today: date | None) -> Procedure:
    """The code's version a decision may amend, replace or abolish on its effective date."""
    last = _last_version(code)
    if last is None:
        raise _fail(_("Không có thủ tục mã %(code)s trong danh mục.") % {"code": code}, "unknown_procedure")
    if last.effective_to is not None:
        raise _fail(
            _("Thủ tục %(code)s đã hết hiệu lực từ ngày %(day)s (bị bãi bỏ hoặc thay thế).")
            % {"code": code, "day": _day(last.effective_to)},
            "procedure_closed",
        )
    today = today or timezone.localdate()
    if last.effective_from is not None and last.effective_from > today:
        raise _fail(
            _(
                "Thủ tục %(code)s đã có quyết định sửa đổi, thay thế chờ hiệu lực từ ngày %(day)s; "
                "chỉ ghi quyết định tiếp theo khi quyết định đó đã có hiệu lực."
            )
            % {"code": code, "day": _day(last.effective_from)},
            "change_pending",
        )
    if last.effective_from is not None and decision.effective_on <= last.effective_from:
        raise _fail(
            _(
                "Ngày có hiệu lực %(day)s không sau ngày phiên bản hiện hành có hiệu lực (%(start)s): "
                "hai phiên bản sẽ cùng có hiệu lực trong một ngày."
            )
            % {"day": _day(decision.effective_on), "start": _day(last.effective_from)},
            "overlapping_versions",
        )
    return last


def _check_closed_before(last: Procedure, effective_on: date) -> None:
    """A code announced again: its last version must have ended by then."""
    if last.effective_to is None or last.effective_to > effective_on:
        raise _fail(
            _("Đã có thủ tục mã %(code)s đang hoặc sẽ có hiệu lực; dùng quyết định sửa đổi, bổ sung.")
            % {"code": last.code},
            "procedure_exists",
        )


def _close(version: Procedure, effective_on: date) -> None:
    version.effective_to = effective_on
    version.save(update_fields=["effective_to"])


def _check_no_overlap(code: str) -> None:
    """Two versions of a code are never in force the same day (the invariant every act keeps)."""
    versions = list(Procedure.objects.filter(code=code).order_by("version"))
    for earlier, later in pairwise(versions):
        ends, starts = earlier.effective_to, later.effective_from
        if ends is None or starts is None or starts < ends:
            raise _fail(
                _("Hai phiên bản của thủ tục %(code)s cùng có hiệu lực trong một ngày.") % {"code": code},
                "overlapping_versions",
            )


def _new_version(
    *,
    code: str,
    version: int,
    base: Procedure | None,
    fields: Mapping[str, Any],
    children: Mapping[str, Sequence[Mapping[str, Any]] | None],
    effective_from: date,
) -> Procedure:
    """A new row: `base`'s values (or the model's defaults) with `fields` applied, and its child rows:
    a given list replaces them, None copies `base`'s."""
    unknown = sorted(set(fields) - _editable_fields())
    if unknown:
        raise _fail(
            _("Trường không sửa được bằng quyết định: %(fields)s.") % {"fields": ", ".join(unknown)},
            "unknown_field",
        )
    procedure = Procedure()
    if base is not None:
        for f in Procedure._meta.concrete_fields:
            if f.attname not in VERSIONING_FIELDS:
                setattr(procedure, f.attname, getattr(base, f.attname))
    for name, value in fields.items():
        setattr(procedure, name, value)
    procedure.code, procedure.version = code, version
    procedure.effective_from, procedure.effective_to = effective_from, None
    try:
        procedure.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        messages = {name: " ".join(texts) for name, texts in error.message_dict.items()}
        raise _fail(_invalid(error), "invalid_procedure", fields=invalid_fields(messages)) from error
    try:
        with transaction.atomic():
            procedure.save()
    except IntegrityError as error:  # a concurrent decision wrote the same version
        raise _fail(
            _("Thủ tục %(code)s vừa được thay đổi; hãy thử lại.") % {"code": code}, "conflict"
        ) from error
    component_ids = _write_children(procedure, base, children)
    _check_step_total(procedure)
    if base is not None:
        version_created.send(Procedure, previous=base, procedure=procedure, components=component_ids)
    return procedure


def _editable_fields() -> set[str]:
    names = set()
    for f in Procedure._meta.concrete_fields:
        if f.name not in VERSIONING_FIELDS:
            names.update({f.name, f.attname})
    return names


def _invalid(error: ValidationError) -> str:
    return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())


def _write_children(
    procedure: Procedure,
    base: Procedure | None,
    children: Mapping[str, Sequence[Mapping[str, Any]] | None],
) -> dict[int, int]:
    """Write the new version's components, fees and steps; the previous component ids → the new ones."""
    component_ids: dict[int, int] = {}
    for name, model in CHILDREN.items():
        rows = children.get(name)
        if rows is None:
            copied = list(model._default_manager.filter(procedure=base)) if base is not None else []
            for row in copied:
                old_pk = row.pk
                row.pk = None
                row.procedure = procedure  # type: ignore[attr-defined]
                row._state.adding = True
                row.save()
                if name == "components":
                    component_ids[old_pk] = row.pk
            continue
        for position, values in enumerate(rows, start=1):
            bad = sorted(set(values) - _child_fields(model))
            if bad:
                raise _fail(
                    _("Trường không hợp lệ của %(what)s: %(fields)s.")
                    % {"what": model._meta.verbose_name, "fields": ", ".join(bad)},
                    "unknown_field",
                )
            row = model(procedure=procedure, position=position, **values)
            try:
                row.full_clean(exclude=["procedure"], validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                raise _fail(
                    _("%(what)s thứ %(n)d: %(errors)s")
                    % {"what": model._meta.verbose_name, "n": position, "errors": _invalid(error)},
                    "invalid_procedure",
                ) from error
            row.save()
        if name == "fees":
            _check_fee_channels(procedure)
    return component_ids


def _child_fields(model: type[models.Model]) -> set[str]:
    names = set()
    for f in model._meta.concrete_fields:
        if f.name not in ("id", "procedure", "position"):
            names.update({f.name, f.attname})
    return names


def _check_fee_channels(procedure: Procedure) -> None:
    for fee in procedure.fees.all():
        try:
            check_fee_channel(name=fee.name, channel=fee.channel, procedure=procedure)
        except ValidationError as error:
            raise _fail(" ".join(error.messages), "invalid_fee") from error


def _check_step_total(procedure: Procedure) -> None:
    """The process template's steps share the time limit: their durations add up to it, each parallel group
    counted by its longest step (`selectors.process_total`)."""
    steps = list(procedure.steps.order_by("position"))
    if not steps or procedure.time_limit_amount is None:
        return
    total = process_total(steps)
    if total != procedure.time_limit_amount:
        raise _fail(
            _(
                "Tổng thời hạn các bước quy trình (%(total)s) khác thời hạn giải quyết (%(limit)s): "
                "sửa cả các bước (steps) trong quyết định."
            )
            % {"total": format_amount(total), "limit": format_amount(procedure.time_limit_amount)},
            "steps_do_not_add_up",
        )


def _item(
    decision: PublicationDecision,
    kind: str,
    procedure: Procedure,
    previous: Procedure | None,
    acting_user: User | None,
) -> Procedure:
    DecisionItem.objects.create(decision=decision, kind=kind, procedure=procedure, previous=previous)
    audit.record(
        "procedure_published",
        user=acting_user,
        decision_id=decision.pk,
        kind=kind,
        procedure_id=procedure.pk,
        procedure_code=procedure.code,
        previous_id=previous.pk if previous else None,
    )
    return procedure
