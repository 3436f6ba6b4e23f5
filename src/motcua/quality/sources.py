"""Reads behind Decision 766 indicators 4.2, 4.3, 5.1, 5.2, 5.4, 5.5 and 6.3: online payments, e-results,
reuse of the e-data store and satisfaction ratings, for one unit scope and period.

Every count starts from `DossierFact` filtered on an indexed day (`received_day`, `end_day`) and the scope's
units, and is one SQL aggregate with `EXISTS` sub-queries on indexed foreign keys (payment → dossier,
e-result → dossier, reuse → dossier, data-store item → source dossier): no per-dossier Python loop.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from motcua.catalog.models import Fee, Procedure
from motcua.documents.models import ComponentFile, DataStoreItem, DataStoreReuse, ElectronicResult
from motcua.dossiers.states import Status
from motcua.payments.models import Payment
from motcua.quality.models import DossierFact, Rating
from motcua.quality.periods import TZ, Period
from motcua.quality.selectors import Scope

RESULT_STATUSES = (Status.FINISHED, Status.RETURNED)


def fee_procedure_ids() -> QuerySet[Fee, int]:
    """Procedures with a fee published in VND: the ones whose dossiers can be paid online
    (`payments.services.fees_total` > 0); a fee without an amount is paid at the counter."""
    return Fee.objects.filter(amount_vnd__gt=0).values_list("procedure_id", flat=True)


def _received(scope: Scope, period: Period) -> QuerySet[DossierFact]:
    return DossierFact.objects.filter(scope.q(), received_day__range=(period.start, period.end))


def _paid() -> Exists:
    return Exists(Payment.objects.filter(dossier_id=OuterRef("dossier_id"), status=Payment.Status.PAID))


def _e_result() -> Exists:
    return Exists(ElectronicResult.objects.filter(dossier_id=OuterRef("dossier_id")))


def _reusing() -> Exists:
    return Exists(DataStoreReuse.objects.filter(dossier_id=OuterRef("dossier_id")))


def _result_saved() -> Exists:
    return Exists(
        DataStoreItem.objects.filter(
            source_dossier_id=OuterRef("dossier_id"), source=DataStoreItem.Source.RESULT
        )
    )


def _digitised_input() -> Exists:
    return Exists(
        ComponentFile.objects.filter(
            dossier_component__dossier_id=OuterRef("dossier_id"), kind__in=ComponentFile.DIGITISED
        )
    )


@dataclass(frozen=True)
class Received:
    """Dossiers received (accepted) in the period: all, fee-bearing, fee-bearing paid online, reusing data
    the system held, reusing it or having their e-result saved to the applicant's data store."""

    dossiers: int = 0
    fee_bearing: int = 0
    paid_online: int = 0
    reusing: int = 0
    store_linked: int = 0


def received_counts(scope: Scope, period: Period) -> Received:
    fee = Q(procedure_id__in=fee_procedure_ids())
    row = _received(scope, period).aggregate(
        dossiers=Count("pk"),
        fee_bearing=Count("pk", filter=fee),
        paid_online=Count("pk", filter=fee & Q(_paid())),
        reusing=Count("pk", filter=Q(_reusing())),
        store_linked=Count("pk", filter=Q(_reusing()) | Q(_result_saved())),
    )
    return Received(**{k: v or 0 for k, v in row.items()})


@dataclass(frozen=True)
class Results:
    """Dossiers that reached their result (finished 9 / returned 10) in the period: all, with an e-result,
    with at least one digitised input (scan or upload) and an e-result."""

    dossiers: int = 0
    e_result: int = 0
    digitised_and_e_result: int = 0


def result_counts(scope: Scope, period: Period) -> Results:
    ended = DossierFact.objects.filter(
        scope.q(), end_day__range=(period.start, period.end), status__in=RESULT_STATUSES, refused=False
    )  # a refusal returned (8 → 10) is no result
    row = ended.aggregate(
        dossiers=Count("pk"),
        e_result=Count("pk", filter=Q(_e_result())),
        digitised_and_e_result=Count("pk", filter=Q(_e_result()) & Q(_digitised_input())),
    )
    return Results(**{k: v or 0 for k, v in row.items()})


def _per_unit(facts: QuerySet[DossierFact], **counts: Any) -> dict[int, dict[str, int]]:
    """`counts` of `facts` for each unit as its one-unit scope counts them (`Scope(unit, unit_ids=(pk,))`:
    the unit received or decided the dossier), in one pass of one query: grouped by (receiving unit,
    deciding unit), each group added to its receiving unit and, when another, to its deciding unit. The
    pairs are few (a unit's dossiers are decided by itself or a few departments)."""
    out: defaultdict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(counts, 0))
    rows: Iterable[Mapping[str, Any]] = (
        facts.values("receiving_unit_id", "deciding_unit_id").annotate(**counts).order_by()
    )
    for row in rows:
        units = {row["receiving_unit_id"], row["deciding_unit_id"]}  # once when the same
        for unit in units:
            for name in counts:
                out[unit][name] += row[name] or 0
    return dict(out)


def result_counts_by_unit(period: Period) -> dict[int, Results]:
    """`result_counts` of each unit's one-unit scope (`Scope(unit, unit_ids=(unit.pk,))`), keyed by unit id,
    in one query: a dossier counts for the unit that received it and for the one that decided it (once
    when they are the same). A unit absent from the answer has no result in the period."""
    ended = DossierFact.objects.filter(
        end_day__range=(period.start, period.end), status__in=RESULT_STATUSES, refused=False
    )
    rows = _per_unit(
        ended,
        dossiers=Count("pk"),
        e_result=Count("pk", filter=Q(_e_result())),
        digitised_and_e_result=Count("pk", filter=Q(_e_result()) & Q(_digitised_input())),
    )
    return {unit: Results(**row) for unit, row in rows.items()}


def payment_procedures(scope: Scope, period: Period, procedures: QuerySet[Procedure]) -> tuple[int, int]:
    """Indicator 4.2: (fee-bearing procedures of the scope with ≥ 1 dossier received in the period and paid
    online, fee-bearing procedures of the scope)."""
    with_fees = procedures.filter(pk__in=fee_procedure_ids())
    # Per code: a dossier paid under an earlier version of the procedure counts for it.
    paid = _received(scope, period).filter(_paid()).values("procedure__code")
    return with_fees.filter(code__in=paid).count(), with_fees.count()


def not_satisfied(scope: Scope, period: Period) -> int:
    """ "Not satisfied" ratings given in the period (local days) for dossiers of the scope."""
    start = datetime.combine(period.start, time.min, tzinfo=TZ)
    ratings = Rating.objects.filter(created_at__gte=start, created_at__lt=period.as_of, satisfied=False)
    if not scope.everything:
        ratings = ratings.filter(dossier_id__in=DossierFact.objects.filter(scope.q()).values("dossier_id"))
    return ratings.count()


def not_satisfied_by_unit(period: Period) -> dict[int, int]:
    """`not_satisfied` of each unit's one-unit scope, keyed by unit id, in one query: a rating counts for the
    unit that received its dossier and for the one that decided it (once when they are the same)."""
    start = datetime.combine(period.start, time.min, tzinfo=TZ)
    ratings = Rating.objects.filter(created_at__gte=start, created_at__lt=period.as_of, satisfied=False)
    rated = DossierFact.objects.filter(dossier_id__in=ratings.values("dossier_id"))  # one rating a dossier
    return {unit: row["ratings"] for unit, row in _per_unit(rated, ratings=Count("pk")).items()}
