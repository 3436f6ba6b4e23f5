"""The demo's PAR Index / SIPAS / PAPI history: every figure cites the page it was read on or is marked a
sample, and loading it again writes nothing."""

from decimal import Decimal

from motcua.demo.standing import load_demo_standing
from motcua.standing import selectors
from motcua.standing.models import ComponentScore, Standing, Target


def test_every_figure_has_a_source_or_is_a_sample(province):
    assert load_demo_standing(province.admin) == 12  # 9 index-years, 3 targets
    for row in [*Standing.objects.all(), *ComponentScore.objects.all(), *Target.objects.all()]:
        assert row.sample or row.source_url.startswith("https://"), row
    papi = Standing.objects.get(index="papi", year=2023)
    assert (papi.score, papi.rank, papi.ranked_out_of, papi.sample) == (Decimal("42.8474"), 25, 63, False)
    assert papi.components.get(code="dien_tu").score == Decimal("2.9799")
    # No published score was found for the PAR Index: none is invented (its rank is sourced).
    par = Standing.objects.get(index="par_index", year=2023)
    assert par.score is None and par.rank == 15 and not par.sample
    assert all(c.sample for c in par.components.all())
    assert load_demo_standing(province.admin) == 0


def test_the_demo_gaps(province):
    load_demo_standing(province.admin)
    gaps = {g.target.index: (g.latest.year, g.latest.rank, g.target_rank, g.places) for g in selectors.gaps()}
    assert gaps == {"par_index": (2023, 15, 20, 0), "sipas": (2023, 12, 30, 0), "papi": (2023, 25, 30, 0)}
