"""Reads of `standing`: each index's history, the gap to each target, the components the dossier data
measures computed beside the published ones, and the units whose figures drag them down.

The computed figures are quality's Decision 766 figures for the calendar year, never a loop over dossiers:
- on time: indicator 2.1 (`quality.indicators.progress` of the year's statistics);
- online: dossiers received online / dossiers received (indicator 3.3 before its DVCQG sync factor);
- digitisation: indicator 5.2, dossiers with a digitised input and an e-result / dossiers with a result;
- satisfaction: indicator 6.3, 100% − (late or overdue + rated "not satisfied"), over 2.1's denominator.
They are computed with the functions `quality.indicators.compute` uses for them (`indicators.progress`,
`sources.result_counts`, `sources.not_satisfied`) on the year's statistics row, the same way for the province
as for each unit, without the rest of the 766 table (the catalogue's indicators, the DVCQG sync).
Which published component each is shown beside is `components.CORRESPONDENCE`; the correspondence is an
approximation (the published components are surveys or appraisals of many criteria) and the page says so.

Per unit, the units are the deciding units of the year's dossiers (`statistics` grouped by
`deciding_unit_id`, one query for all). On time and online partition the province's dossiers exactly;
digitisation and satisfaction are quality's counts for each unit's one-unit scope, all units in one query
each (`sources.result_counts_by_unit`, `sources.not_satisfied_by_unit`: the same figures as
`result_counts`/`not_satisfied` called unit by unit), so the page's queries do not grow with the number of
units. Those counts also count a dossier for the unit that received it, so their shares may add up to a
little more than 100% when a commune receives dossiers that a department decides.
A unit's shortfall is what its dossiers miss of 100% (denominator − numerator); its share is that over the
province's shortfall.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from motcua.core.models import OrgUnit
from motcua.quality import indicators, selectors, sources
from motcua.quality.periods import Period, root_unit, year
from motcua.quality.selectors import Figures, Scope
from motcua.standing.components import CORRESPONDENCE, INDICATOR_OF, Index, Measure, component
from motcua.standing.models import ComponentScore, Standing, Target


def history(index: str | None = None) -> list[Standing]:
    """Recorded years, oldest first, with their components."""
    qs = Standing.objects.prefetch_related(
        Prefetch("components", ComponentScore.objects.order_by("position"))
    )
    if index is not None:
        qs = qs.filter(index=index)
    return list(qs.order_by("index", "year"))


def equivalent_rank(rank: int, out_of: int, ranked_out_of: int) -> int:
    """A rank among `out_of` provinces expressed among `ranked_out_of` by the same share, rounded down
    (at least 1): top 20 of 63 is top 10 of 34 (20 × 34 / 63 = 10.8), never a looser target."""
    if ranked_out_of == out_of:
        return rank
    return max(1, rank * ranked_out_of // out_of)


@dataclass
class Gap:
    """A target and where the province stands against it: the latest ranked year (`latest`), the target
    expressed among that year's number of provinces (`target_rank`), how many places are still to climb
    (`places`, 0 when reached) and the index's history."""

    target: Target
    history: list[Standing]
    latest: Standing | None = None
    target_rank: int | None = None
    places: int | None = None

    @property
    def reached(self) -> bool | None:
        return None if self.places is None else self.places == 0


def gaps() -> list[Gap]:
    targets = Target.objects.order_by("index", "year")
    by_index: dict[str, list[Standing]] = {}
    for standing in history():
        by_index.setdefault(standing.index, []).append(standing)
    out = []
    for target in targets:
        years = by_index.get(target.index, [])
        ranked = [s for s in years if s.rank is not None and s.ranked_out_of and s.year <= target.year]
        gap = Gap(target=target, history=years)
        if ranked:
            latest = ranked[-1]
            assert latest.rank is not None and latest.ranked_out_of is not None
            gap.latest = latest
            gap.target_rank = equivalent_rank(target.rank_at_most, target.out_of, latest.ranked_out_of)
            gap.places = max(0, latest.rank - gap.target_rank)
        out.append(gap)
    return out


@dataclass(frozen=True)
class Rate:
    numerator: float
    denominator: float

    @property
    def ratio(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def shortfall(self) -> float:
        """What the dossiers miss of 100%."""
        return max(self.denominator - self.numerator, 0)


@dataclass(frozen=True)
class Beside:
    """A published figure a measure is shown beside: the index, the component (None: the index's total),
    and the figure recorded for the year (None: not recorded)."""

    index: Index
    component: str | None
    figure: ComponentScore | Standing | None
    year: int | None  # the published year shown: the latest recorded up to the year asked for

    @property
    def ratio(self) -> Decimal | None:
        return as_ratio(self.figure)


@dataclass
class Computed:
    measure: Measure
    rate: Rate | None  # None: no dossier in the denominator this year
    indicator: str
    beside: list[Beside] = field(default_factory=list)


def _period(y: int) -> Period | None:
    """The calendar year, None when it has not started (a year in progress is judged now)."""
    return None if date(y, 1, 1) > timezone.localdate() else year(y)


def _rates(figures: Figures, ended: sources.Results, unhappy: int) -> dict[Measure, Rate | None]:
    """The four measures of one scope: its statistics row and two of quality's aggregates (e-results and
    digitised inputs, "not satisfied" ratings), as `indicators.compute` computes 2.1, 5.2 and 6.3."""
    on_time, processed = indicators.progress(figures)
    unhappy = unhappy if processed else 0
    rates = {
        Measure.ON_TIME: Rate(on_time, processed),
        Measure.ONLINE: Rate(figures.received_online, figures.received),
        Measure.DIGITISATION: Rate(ended.digitised_and_e_result, ended.dossiers),
        Measure.SATISFACTION: Rate(max(on_time - unhappy, 0), processed),
    }
    return {m: rate if rate.denominator else None for m, rate in rates.items()}


def province_rates(y: int) -> dict[Measure, Rate | None]:
    """The province's four computed measures for the year (None each when the year has no dossier)."""
    root, period = root_unit(), _period(y)
    if root is None or period is None:
        return dict.fromkeys(Measure)
    scope = Scope.of(root)
    figures = selectors.total(scope=scope, period=period)
    processed = indicators.progress(figures)[1]
    unhappy = sources.not_satisfied(scope, period) if processed else 0
    return _rates(figures, sources.result_counts(scope, period), unhappy)


def computed(y: int, rates: dict[Measure, Rate | None] | None = None) -> list[Computed]:
    """Each measure for the year beside the published figures it corresponds to: the index's latest year
    recorded up to `y` (the indices of a year are published in the next one's spring). `rates`: the
    province's, when the caller has them already."""
    rates = province_rates(y) if rates is None else rates
    published = {s.index: s for s in history() if s.year <= y}  # oldest first: the latest stays
    out = []
    for measure in Measure:
        row = Computed(measure=measure, rate=rates[measure], indicator=INDICATOR_OF[measure])
        for index, code in CORRESPONDENCE[measure]:
            standing = published.get(index)
            figure: ComponentScore | Standing | None = standing
            if standing is not None and code is not None:
                figure = next((c for c in standing.components.all() if c.code == code), None)
            known = component(index, code) if code is not None else None
            row.beside.append(
                Beside(
                    Index(index),
                    str(known.name) if known else None,
                    figure,
                    standing.year if standing is not None else None,
                )
            )
        out.append(row)
    return out


@dataclass
class UnitDrag:
    unit: str
    rate: Rate
    share: float | None  # of the province's shortfall


def drag_down(
    y: int, *, limit: int = 10, province: dict[Measure, Rate | None] | None = None
) -> dict[Measure, list[UnitDrag]]:
    """Per measure, the deciding units whose dossiers miss the most of 100%, worst first, with their share
    of the province's shortfall (the province's own rate's denominator − numerator). `province`: the
    province's rates, when the caller has them already."""
    root, period = root_unit(), _period(y)
    if root is None or period is None:
        return {m: [] for m in Measure}
    province = province_rates(y) if province is None else province
    rows = selectors.statistics(scope=Scope.of(root), period=period, group="deciding_unit_id")
    units = OrgUnit.objects.in_bulk([r.key for r in rows if isinstance(r.key, int)])
    ended = sources.result_counts_by_unit(period)
    unhappy = sources.not_satisfied_by_unit(period)
    per_unit: dict[Measure, list[tuple[str, Rate]]] = {m: [] for m in Measure}
    for figures in rows:
        unit = units.get(figures.key) if isinstance(figures.key, int) else None
        if unit is None:
            continue
        rates = _rates(figures, ended.get(unit.pk, sources.Results()), unhappy.get(unit.pk, 0))
        for measure, rate in rates.items():
            if rate is not None:
                per_unit[measure].append((unit.name, rate))
    out: dict[Measure, list[UnitDrag]] = {}
    for measure, found in per_unit.items():
        total = province[measure]
        whole = total.shortfall if total is not None else 0
        ranked = sorted(found, key=lambda item: (-item[1].shortfall, item[1].ratio or 0, item[0]))
        out[measure] = [
            UnitDrag(unit=name, rate=rate, share=rate.shortfall / whole if whole else None)
            for name, rate in ranked[:limit]
            if rate.shortfall > 0
        ]
    return out


def as_ratio(figure: ComponentScore | Standing | None) -> Decimal | None:
    """A published figure as a share of its maximum."""
    if figure is None or figure.score is None or not figure.max_score:
        return None
    return figure.score / figure.max_score


def indices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Index.choices]
