"""Decision 766/QĐ-TTg indicators: the formulas, the thresholds in force and the score rule, in one place.
The table itself (groups, indicators, points, default thresholds) is `decision766`.

Score rule (docs/domain.md): full points when the ratio R reaches the threshold T, else R × points / T. T is
the one of the period's year (`IndicatorThreshold`, editable in the admin), else of the latest earlier year,
else the table's default; each result says which one it used.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from motcua.catalog.models import DecisionItem, Procedure
from motcua.core import calendar
from motcua.core.models import OrgUnit
from motcua.core.workcalendar import current_calendar
from motcua.quality import rules, sources
from motcua.quality.decision766 import (
    GROUPS,
    INDICATORS,
    NO_FEE_DOSSIER,
    NO_FEE_PROCEDURE,
    NO_PROCESSED,
    NO_PUBLICATION_DUE,
    NO_PUBLISHED,
    NO_RECEIVED,
    NO_RESULT,
    Group,
    Indicator,
    Line,
)
from motcua.quality.decision766 import NO_FEEDBACK as NO_FEEDBACK  # re-exported for callers
from motcua.quality.models import DossierFact, IndicatorThreshold
from motcua.quality.periods import Period
from motcua.quality.selectors import Figures, Scope, statistics

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Threshold:
    value: float  # T as a ratio
    year: int | None  # the year of the `IndicatorThreshold` row used; None: the table's default


def thresholds(year: int) -> dict[str, Threshold]:
    """Indicator id → the threshold in force in `year`: that year's row, else the latest earlier year's,
    else the default of `INDICATORS`. Indicators without a threshold (2.2, not scored) are absent."""
    found = {ind.id: Threshold(ind.threshold, None) for ind in INDICATORS if ind.threshold is not None}
    rows = IndicatorThreshold.objects.filter(year__lte=year, indicator_id__in=found).order_by("year")
    for indicator_id, row_year, value in rows.values_list("indicator_id", "year", "threshold"):
        found[indicator_id] = Threshold(float(value), row_year)  # later years overwrite earlier ones
    return found


def score(ratio: float, threshold: float, points: float) -> float:
    """Full points when the ratio reaches the threshold, else ratio × points / threshold."""
    if ratio >= threshold:
        return points
    return ratio * points / threshold


@dataclass
class Result:
    indicator: Indicator
    numerator: float | None = None
    denominator: float | None = None
    score: float | None = None
    detail: list[tuple[str, int, float | None]] | None = (
        None  # 2.2: per procedure (label, settled, average working days)
    )
    threshold: Threshold | None = None  # the one in force for the period (None: not scored)

    @property
    def ratio(self) -> float | None:
        if self.numerator is None or not self.denominator:
            return None
        return self.numerator / self.denominator

    @property
    def has_data(self) -> bool:
        return not self.indicator.missing


def scoped_procedures(unit: OrgUnit, on: date | None = None) -> QuerySet[Procedure]:
    """Procedures the unit answers for, as published on the day `on` (default today; one version per
    code): all for the province and the center; a department's own; a commune's commune-level ones."""
    published = Procedure.objects.in_force(on or timezone.localdate()).filter(is_published=True)
    return published.filter(_answers_for(unit))


def _answers_for(unit: OrgUnit, prefix: str = "") -> Q:
    if unit.kind in (OrgUnit.Kind.PROVINCE, OrgUnit.Kind.CENTER):
        return Q()
    if unit.kind == OrgUnit.Kind.COMMUNE:
        return Q(**{f"{prefix}level": Procedure.Level.COMMUNE})
    return Q(**{f"{prefix}responsible_unit__path__startswith": unit.path})


def judged_day(period: Period) -> date:
    """The day the catalogue is judged on: the period's last day, or today for a period not yet ended."""
    return min(period.end, timezone.localdate())


PUBLICATION_WORKING_DAYS = 5  # Decision 766 indicators 1.1 and 1.2 (docs/domain.md, Decision 766)


def _working_days(first: date, until: date) -> float:
    """Working days from the start of `first` to the start of `until` (the working-day calendar)."""
    cal = current_calendar()
    start, end = (datetime.combine(d, time.min, tzinfo=cal.tz) for d in (first, until))
    return float(calendar.working_days_between(start, end, cal))


def published_items(scope: Scope, period: Period) -> QuerySet[DecisionItem]:
    """The procedures of the scope that decisions signed in the period announced, amended, replaced or
    abolished (each item once: a procedure published by a decision)."""
    return DecisionItem.objects.filter(
        _answers_for(scope.unit, "procedure__"),
        decision__signed_on__range=(period.start, period.end),
    ).select_related("decision")


def published_on_time(scope: Scope, period: Period) -> tuple[int, int]:
    """Indicator 1.1: (procedures whose decision was signed at least 5 working days before the legal basis
    it implements takes effect, procedures published in the period). A decision without the legal basis's
    effective date cannot be shown on time: it counts as not."""
    items = list(published_items(scope, period))
    on_time = [
        item
        for item in items
        if item.decision.legal_basis_effective_on is not None
        and _working_days(item.decision.signed_on, item.decision.legal_basis_effective_on)
        >= PUBLICATION_WORKING_DAYS
    ]
    return len(on_time), len(items)


def made_public_on_time(scope: Scope, period: Period) -> tuple[int, int]:
    """Indicator 1.2: (procedures made public on the national database within 5 working days after the
    decision's signing day, procedures due: of decisions signed in the period, made public already or
    whose 5 working days ended by the judged day)."""
    judged = judged_day(period)
    due = on_time = 0
    for item in published_items(scope, period):
        decision = item.decision
        published = decision.national_db_published_on
        if published is not None and published <= judged:
            due += 1
            on_time += _working_days(decision.signed_on, published) <= PUBLICATION_WORKING_DAYS
        elif _working_days(decision.signed_on, judged) > PUBLICATION_WORKING_DAYS:
            due += 1  # not made public, and the time is over
    return on_time, due


def complete_procedures(procedures: QuerySet[Procedure]) -> tuple[int, int]:
    """Indicator 1.3: (public procedures with all seven parts: name, steps (the process), channels,
    components, time limit, who applies, agency; public procedures)."""
    counted = procedures.annotate(
        n_steps=Count("steps", distinct=True), n_comp=Count("components", distinct=True)
    )
    complete = counted.filter(
        ~Q(name=""),
        ~Q(agency_description=""),
        ~Q(who_applies=""),
        ~Q(online_level=""),
        n_steps__gt=0,
        n_comp__gt=0,
        time_limit_amount__isnull=False,
    ).exclude(time_limit_unit="")
    return complete.count(), procedures.count()


def compute(*, scope: Scope, period: Period) -> list[Result]:
    total = statistics(scope=scope, period=period)
    figures = total[0] if total else Figures()
    by_procedure = statistics(scope=scope, period=period, group="procedure_id")
    procedures = scoped_procedures(scope.unit, judged_day(period))
    sync = _dvcqg_sync(scope, period)
    sourced = _sourced(scope, period, procedures, figures)
    in_force = thresholds(period.end.year)  # the year of the period's last day
    results = []
    for ind in INDICATORS:
        r = Result(replace(ind, missing="") if sync and ind.id in ("1.4", "3.3") else ind)
        if ind.id in sourced:  # (numerator, denominator, reason shown when the denominator is 0)
            numerator, denominator, empty = sourced[ind.id]
            if denominator:
                r.numerator, r.denominator = numerator, denominator
            else:
                r = Result(replace(ind, missing=empty))
        if ind.id == "1.3":
            r.numerator, r.denominator = complete_procedures(procedures)
        elif ind.id == "2.1":
            r.numerator, r.denominator = progress(figures)
        elif ind.id == "2.2":
            r.detail = [(row.label, row.results, row.average_days) for row in by_procedure if row.results]
        elif ind.id == "3.1":
            online = procedures.exclude(online_level=Procedure.OnlineLevel.NONE)
            r.numerator, r.denominator = online.count(), procedures.count()
        elif ind.id == "3.2":
            online_codes = set(
                procedures.exclude(online_level=Procedure.OnlineLevel.NONE).values_list("code", flat=True)
            )
            # Per code: a dossier received under an earlier version counts for the procedure.
            used_ids = [row.key for row in by_procedure if row.received_online and row.key is not None]
            used = set(Procedure.objects.filter(pk__in=used_ids).values_list("code", flat=True))
            r.numerator, r.denominator = len(online_codes & used), len(online_codes)
        elif ind.id == "1.4" and sync:
            r.numerator, r.denominator = sync
        elif ind.id == "3.3":  # online share × sync rate (the sync factor only once sync is in use)
            rate = sync[0] / sync[1] if sync and sync[1] else 1.0
            r.numerator, r.denominator = figures.received_online * rate, figures.received
        r.threshold = in_force.get(ind.id)
        if r.has_data and ind.points and r.threshold and r.ratio is not None:
            r.score = score(r.ratio, r.threshold.value, ind.points)
        results.append(r)
    return results


def progress(figures: Figures) -> tuple[int, int]:
    """Indicator 2.1: (on time, dossiers processed in the period). On time: settled early or on time, in
    progress within time, and paused on a single supplement request or a financial obligation (766
    guidance: a dossier waiting on the applicant counts as ended, on time, at the request); a second
    supplement request is late. Withdrawals after reception count as ends only when configured
    (`rules.withdrawal_ends_processing`): on time unless withdrawn while overdue."""
    on_time = figures.early + figures.on_time + figures.in_time + figures.paused - figures.paused_late
    processed = figures.settled + figures.in_progress
    if rules.withdrawal_ends_processing():
        on_time += figures.withdrawn - figures.withdrawn_late
        processed += figures.withdrawn
    return on_time, processed


def _sourced(
    scope: Scope, period: Period, procedures: QuerySet[Procedure], figures: Figures
) -> dict[str, tuple[float, float, "StrOrPromise"]]:
    """Indicators 1.1, 1.2, 4.2, 4.3, 5.1, 5.2, 5.4, 5.5 and 6.3: id → (numerator, denominator, reason if
    empty)."""
    received = sources.received_counts(scope, period)
    ended = sources.result_counts(scope, period)
    # 100% − (late or overdue + not satisfied) over the denominator of 2.1: its on-time part less the
    # dossiers rated "not satisfied".
    on_time, processed = progress(figures)
    fine = max(on_time - sources.not_satisfied(scope, period), 0)
    return {
        "1.1": (*published_on_time(scope, period), NO_PUBLISHED),
        "1.2": (*made_public_on_time(scope, period), NO_PUBLICATION_DUE),
        "4.2": (*sources.payment_procedures(scope, period, procedures), NO_FEE_PROCEDURE),
        "4.3": (received.paid_online, received.fee_bearing, NO_FEE_DOSSIER),
        "5.1": (ended.e_result, ended.dossiers, NO_RESULT),
        "5.2": (ended.digitised_and_e_result, ended.dossiers, NO_RESULT),
        "5.4": (received.reusing, received.dossiers, NO_RECEIVED),
        "5.5": (received.store_linked, received.dossiers, NO_RECEIVED),
        "6.3": (fine, processed, NO_PROCESSED),
    }


def _dvcqg_sync(scope: Scope, period: Period) -> tuple[int, int] | None:
    """Indicator 1.4: (dossiers received in the period that the National Public Service Portal accepted a
    DongBoHoSoMC for, dossiers received in the period). None while sync is not in use (no call was ever
    accepted): "chưa có dữ liệu", not 0%."""
    if not apps.is_installed("motcua.interop"):
        return None
    from motcua.interop.dvcqg import selectors as dvcqg

    if not dvcqg.sync_in_use():
        return None
    received = DossierFact.objects.filter(scope.q(), received_day__range=(period.start, period.end))
    synced = received.filter(dossier_id__in=dvcqg.synced_dossier_ids())
    return synced.count(), received.count()


@dataclass
class Summary:
    """Points reached over the indicators with data (`scored_points` of them), out of `total_points`; for
    the whole table, with one entry per Decision group in `groups`."""

    score: float
    scored_points: float
    total_points: float
    results: list[Result] = field(default_factory=list)
    groups: list["GroupSummary"] = field(default_factory=list)


@dataclass
class LineSummary:
    line: Line  # a column of the national scoreboard
    total: Summary


@dataclass
class GroupSummary:
    group: Group
    total: Summary
    lines: list[LineSummary]  # group 3: online services, online payment; the others: one line


def _total(results: list[Result]) -> Summary:
    scored = [r for r in results if r.score is not None]
    return Summary(
        score=sum(r.score for r in scored if r.score is not None),
        scored_points=sum(r.indicator.points for r in scored),
        total_points=sum(r.indicator.points for r in results),
        results=results,
    )


def summary(results: list[Result]) -> Summary:
    whole = _total(results)
    for group in GROUPS:
        in_group = [r for r in results if r.indicator.group == group.number]
        lines = [
            LineSummary(line, _total([r for r in in_group if r.indicator.line is line]))
            for line in group.lines
        ]
        whole.groups.append(GroupSummary(group, _total(in_group), lines))
    return whole
