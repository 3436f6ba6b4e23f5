"""Decision 766/QĐ-TTg indicators: the formulas, the thresholds in force and the score rule, in one place.
The table itself (groups, indicators, points, default thresholds) is `decision766`.

Score rule (docs/domain.md): full points when the ratio R reaches the threshold T, else R × points / T. T is
the one of the period's year (`IndicatorThreshold`, editable in the admin), else of the latest earlier year,
else the table's default; each result says which one it used.
"""

from dataclasses import dataclass, field, replace

from django.apps import apps
from django.db.models import Count, Q

from motcua.catalog.models import Procedure
from motcua.core.models import OrgUnit
from motcua.quality import rules, sources
from motcua.quality.decision766 import (
    GROUPS,
    INDICATORS,
    NO_FEE_DOSSIER,
    NO_FEE_PROCEDURE,
    NO_PROCESSED,
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
    detail: list | None = None  # 2.2: per procedure (label, settled, average working days)
    threshold: Threshold | None = None  # the one in force for the period (None: not scored)

    @property
    def ratio(self) -> float | None:
        if self.numerator is None or not self.denominator:
            return None
        return self.numerator / self.denominator

    @property
    def has_data(self) -> bool:
        return not self.indicator.missing


def scoped_procedures(unit: OrgUnit):
    """Procedures the unit answers for: all for the province and the center; a department's own; a
    commune's commune-level ones."""
    published = Procedure.objects.filter(is_published=True)
    if unit.kind in (OrgUnit.Kind.PROVINCE, OrgUnit.Kind.CENTER):
        return published
    if unit.kind == OrgUnit.Kind.COMMUNE:
        return published.filter(level=Procedure.Level.COMMUNE)
    return published.filter(responsible_unit__path__startswith=unit.path)


def compute(*, scope: Scope, period: Period) -> list[Result]:
    total = statistics(scope=scope, period=period)
    figures = total[0] if total else Figures()
    by_procedure = statistics(scope=scope, period=period, group="procedure_id")
    procedures = scoped_procedures(scope.unit)
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
            counted = procedures.annotate(
                n_steps=Count("steps", distinct=True), n_comp=Count("components", distinct=True)
            )
            complete = counted.filter(
                ~Q(name=""),
                ~Q(agency_description=""),
                n_steps__gt=0,
                n_comp__gt=0,
                time_limit_amount__isnull=False,
            ).exclude(time_limit_unit="")
            r.numerator, r.denominator = complete.count(), procedures.count()
        elif ind.id == "2.1":
            r.numerator, r.denominator = progress(figures)
        elif ind.id == "2.2":
            r.detail = [(row.label, row.results, row.average_days) for row in by_procedure if row.results]
        elif ind.id == "3.1":
            online = procedures.exclude(online_level=Procedure.OnlineLevel.NONE)
            r.numerator, r.denominator = online.count(), procedures.count()
        elif ind.id == "3.2":
            online_ids = set(
                procedures.exclude(online_level=Procedure.OnlineLevel.NONE).values_list("pk", flat=True)
            )
            used = {row.key for row in by_procedure if row.received_online}
            r.numerator, r.denominator = len(online_ids & used), len(online_ids)
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


def _sourced(scope: Scope, period: Period, procedures, figures: Figures) -> dict[str, tuple]:
    """Indicators 4.2, 4.3, 5.1, 5.2, 5.4, 5.5 and 6.3: id → (numerator, denominator, reason if empty)."""
    received = sources.received_counts(scope, period)
    ended = sources.result_counts(scope, period)
    # 100% − (late or overdue + not satisfied) over the denominator of 2.1: its on-time part less the
    # dossiers rated "not satisfied".
    on_time, processed = progress(figures)
    fine = max(on_time - sources.not_satisfied(scope, period), 0)
    return {
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
        score=sum(r.score for r in scored),
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
