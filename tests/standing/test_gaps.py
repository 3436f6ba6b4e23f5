"""The gap to each target: the latest ranked year up to the target's year, the target expressed among that
year's number of provinces (63 before the 2025 merger, 34 after), the places still to climb."""

from decimal import Decimal

from motcua.standing import selectors, services
from motcua.standing.inputs import Source, StandingFigures

SAMPLE = Source(sample=True)


def record(p, index: str, year: int, rank: int, out_of: int, score: str | None = None) -> None:
    services.record_standing(
        acting_user=p.admin,
        figures=StandingFigures(
            index=index,
            year=year,
            score=None if score is None else Decimal(score),
            max_score=Decimal(100),
            rank=rank,
            ranked_out_of=out_of,
            source=SAMPLE,
        ),
    )


def target(p, index: str, year: int, rank: int, out_of: int = 63) -> None:
    services.set_target(
        acting_user=p.admin, index=index, year=year, rank_at_most=rank, out_of=out_of, source=SAMPLE
    )


def test_equivalent_rank_by_the_same_share_rounded_down():
    assert selectors.equivalent_rank(20, 63, 63) == 20
    assert selectors.equivalent_rank(20, 63, 34) == 10  # 20 × 34 / 63 = 10.79
    assert selectors.equivalent_rank(30, 63, 34) == 16  # 16.19
    assert selectors.equivalent_rank(1, 63, 34) == 1  # never 0


def test_the_gap_to_each_target(province):
    p = province
    record(p, "par_index", 2022, 16, 63, "85.1")
    record(p, "par_index", 2023, 25, 63, "84.0")
    record(p, "sipas", 2023, 12, 63)
    record(p, "papi", 2023, 25, 63)
    record(p, "papi", 2025, 12, 34)  # after the merger: among 34
    record(p, "papi", 2026, 1, 34)  # after the target's year: not judged against it
    target(p, "par_index", 2025, 20)
    target(p, "sipas", 2025, 30)
    target(p, "papi", 2025, 30)
    gaps = {g.target.index: g for g in selectors.gaps()}

    par = gaps["par_index"]
    assert (par.latest.year, par.target_rank, par.places, par.reached) == (2023, 20, 5, False)
    assert [(s.year, s.score) for s in par.history] == [(2022, Decimal("85.1")), (2023, Decimal("84.0"))]
    sipas = gaps["sipas"]
    assert (sipas.latest.year, sipas.target_rank, sipas.places, sipas.reached) == (2023, 30, 0, True)
    papi = gaps["papi"]  # 12th of 34 against top 30 of 63 = top 16 of 34: reached
    assert (papi.latest.year, papi.latest.ranked_out_of, papi.target_rank, papi.places) == (2025, 34, 16, 0)


def test_a_target_without_any_ranked_year(province):
    target(province, "par_index", 2025, 20)
    gap = selectors.gaps()[0]
    assert gap.latest is None and gap.places is None and gap.reached is None
