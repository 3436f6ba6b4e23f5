"""A catalogue diff applied as one publication decision (`catalog.publication`): new codes announced, changed
ones amended (only the fields that differ), gone ones abolished, all or nothing.

What the publication does not state for sure is not applied: a procedure whose time limit or level needs
review (`PublishedProcedure.review`) and would be written refuses the whole decision, with the reason; the
officer corrects the file or the catalogue first. The guards of `catalog.publication` hold as for any
decision (a changed time limit needs the process steps changed too, one pending change per code, ...).
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog import publication
from motcua.catalog.exchange.diff import CatalogueDiff
from motcua.catalog.exchange.published import PublishedProcedure
from motcua.catalog.models import DecisionItem, Procedure, PublicationDecision
from motcua.catalog.selectors import in_force
from motcua.core.errors import ValidationFailed
from motcua.core.models import User

Kind = DecisionItem.Kind


def _field_values(p: PublishedProcedure, fields: tuple[str, ...] | None) -> dict[str, Any]:
    """The Procedure fields a decision writes for the compared `fields` (None: every field provided)."""
    wanted = set(p.provided if fields is None else fields)
    values: dict[str, Any] = {}
    if "name" in wanted:
        values["name"] = p.name
    if "name_en" in wanted:
        values["name_en"] = p.name_en
    if "field" in wanted:
        values["field"] = p.field
    if "level" in wanted and p.level:
        values["level"] = p.level
    if "agency" in wanted:
        values["agency_description"] = p.agency
    if "time_limit" in wanted:
        limit = p.time_limit
        values |= {
            "time_limit_amount": limit.amount,
            "time_limit_unit": limit.unit.value if limit.unit and limit.amount is not None else "",
            "time_limit_is_demo_choice": False,
        }
        if p.time_limit_note:
            values["time_limit_note"] = p.time_limit_note
    if "online_level" in wanted and p.online_level:
        values |= {"online_level": p.online_level, "online_level_is_demo_choice": False}
    if "legal_basis" in wanted:
        values["legal_basis"] = list(p.legal_basis)
    if "result" in wanted:
        values["result_name"] = p.result
    return values


def _components(p: PublishedProcedure, current: Procedure | None) -> list[dict[str, Any]]:
    """The publication's components; whether each is mandatory at reception is not published: kept from
    the current version's component of the same name, else mandatory."""
    mandatory = {c.name: c.is_mandatory for c in current.components.all()} if current else {}
    return [
        {
            "name": c.name,
            "form": c.form,
            "count": c.count,
            "note": c.note,
            "is_mandatory": mandatory.get(c.name, True),
        }
        for c in p.components
    ]


def _fees(p: PublishedProcedure) -> list[dict[str, Any]]:
    return [
        {"name": f.name, "channel": f.channel, "amount_vnd": f.amount_vnd, "note": f.note} for f in p.fees
    ]


def _unsure(p: PublishedProcedure, fields: tuple[str, ...] | None) -> list[str]:
    writes = set(p.provided if fields is None else fields)
    notes = []
    if "time_limit" in writes and p.time_limit.needs_review:
        notes.append(f"{p.code}: {p.time_limit.reason}")
    if fields is None and p.level is None:
        notes.append(f"{p.code}: " + _("cấp thực hiện không đọc được."))
    return notes


def decision_changes(diff: CatalogueDiff, *, on: date | None = None) -> list[publication.Change]:
    """The diff as `publication.Change`s; refuses (ValidationFailed) what the file does not state for sure."""
    unsure = [note for p in diff.new for note in _unsure(p, None)]
    unsure += [note for c in diff.changed for note in _unsure(c.published, c.fields)]
    if unsure:
        raise ValidationFailed(
            _("Chưa áp dụng được: tệp có nội dung cần xem lại. %(notes)s") % {"notes": " ".join(unsure)},
            code="catalogue_needs_review",
        )
    current = {p.code: p for p in in_force(on).prefetch_related("components")}
    changes = [
        publication.Change(
            code=p.code,
            kind=Kind.ANNOUNCE,
            fields=_field_values(p, None),
            components=_components(p, None),
            fees=_fees(p),
        )
        for p in diff.new
    ]
    for changed in diff.changed:
        p, fields = changed.published, changed.fields
        changes.append(
            publication.Change(
                code=p.code,
                kind=Kind.AMEND,
                fields=_field_values(p, fields),
                components=_components(p, current.get(p.code)) if "components" in fields else None,
                fees=_fees(p) if "fees" in fields else None,
            )
        )
    changes += [publication.Change(code=gone.code, kind=Kind.ABOLISH) for gone in diff.gone]
    return changes


@transaction.atomic
def apply_diff(
    *,
    diff: CatalogueDiff,
    number: str,
    signed_on: date,
    signer: str,
    effective_on: date,
    acting_user: User | None,
    today: date | None = None,
) -> PublicationDecision:
    """The decision recorded and every change applied, in one transaction: a refused change refuses all."""
    changes = decision_changes(diff, on=today)
    decision = publication.record_decision(
        number=number, signed_on=signed_on, signer=signer, effective_on=effective_on, acting_user=acting_user
    )
    publication.apply_changes(decision=decision, changes=changes, acting_user=acting_user, today=today)
    return decision
