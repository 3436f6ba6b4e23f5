"""The current catalogue in the database, as `PublishedProcedure`s: what a diff compares and an export writes.

The current catalogue is the versions in force on a day (`catalog.selectors.in_force`, one per code): a
version a decision has made pending (in force later) is not compared yet.

A time limit the demo data chose (`time_limit_is_demo_choice`) was not published: it is given as none, so a
publication that states none is no change and an export never presents the choice as published.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Prefetch

from motcua.catalog import selectors
from motcua.catalog.exchange.published import (
    ALL_FIELDS,
    PublishedComponent,
    PublishedFee,
    PublishedProcedure,
)
from motcua.catalog.models import Fee, Procedure, ProcedureComponent
from motcua.catalog.time_limits import NOT_PUBLISHED, ParsedTimeLimit, parse_time_limit, published_text
from motcua.core.calendar import TimeUnit


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def procedure_as_published(procedure: Procedure) -> PublishedProcedure:
    """One procedure (with its components and fees, prefetched or not) as a publication would give it."""
    if procedure.has_time_limit and not procedure.time_limit_is_demo_choice:
        amount = Decimal(procedure.time_limit_amount or 0)
        unit = TimeUnit(procedure.time_limit_unit)
        limit = ParsedTimeLimit(text=published_text(amount, unit), amount=amount, unit=unit)
    else:
        limit = parse_time_limit(NOT_PUBLISHED)
    return PublishedProcedure(
        code=procedure.code,
        name=_clean(procedure.name),
        name_en=_clean(procedure.name_en),
        field=_clean(procedure.field),
        level=procedure.level,
        agency=_clean(procedure.agency_description),
        time_limit=limit,
        time_limit_note=(procedure.time_limit_note or "").strip(),
        online_level=procedure.online_level,
        legal_basis=tuple(_clean(str(item)) for item in procedure.legal_basis or [] if _clean(str(item))),
        result=_clean(procedure.result_name),
        components=tuple(
            PublishedComponent(name=_clean(c.name), form=c.form, count=c.count, note=_clean(c.note))
            for c in sorted(procedure.components.all(), key=lambda c: c.position)
        ),
        fees=tuple(
            PublishedFee(name=_clean(f.name), amount_vnd=f.amount_vnd, channel=f.channel, note=_clean(f.note))
            for f in sorted(procedure.fees.all(), key=lambda f: f.position)
        ),
        source=procedure.source_url,
        notes=(procedure.notes or "").strip(),
        provided=ALL_FIELDS,
    )


def current_catalogue(*, on: date | None = None) -> list[PublishedProcedure]:
    """The published procedures in force on the day `on` (default today: one version per code), by code.
    Read only."""
    procedures = (
        selectors.in_force(on)
        .prefetch_related(
            Prefetch("components", queryset=ProcedureComponent.objects.order_by("position")),
            Prefetch("fees", queryset=Fee.objects.order_by("position")),
        )
        .order_by("code")
    )
    return [procedure_as_published(procedure) for procedure in procedures]
