"""The components the dossier data measures, computed for the year from quality's figures, and the units
that drag them down, on a small scenario built through the real services (March 2026).

Birth registration at the commune (3 working days: received Mon 02/03 09:00 → due Thu 05/03 09:00), decided
by the commune:
- C1, C2 received at the counter, settled Wed 04/03 10:00: early;
- C3 submitted online Sun 01/03, accepted 02/03 09:00, settled 04/03: early;
- C4 received at the counter, settled Fri 06/03 10:00: late; its applicant rated it "not satisfied".
Nationality at the center (5 working days: received 02/03 09:00 → due Mon 09/03 09:00), decided by the
Department of Justice: J1 settled Fri 06/03 10:00 (early), J2 Wed 11/03 and J3 Thu 12/03 (late).
No dossier has an e-result, so none counts as digitised with an e-result.

By hand, the province: on time 4/7, online 1/7, digitisation 0/7, satisfaction (4 − 1)/7 = 3/7.
The commune: on time 3/4 (short 1), online 1/4 (short 3), digitisation 0/4 (short 4), satisfaction 2/4
(short 2). The department: on time 1/3 (short 2), online 0/3 (short 3), digitisation 0/3 (short 3),
satisfaction 1/3 (short 2). The province's shortfalls: 3, 6, 7, 4.
"""

from datetime import datetime
from decimal import Decimal

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier
from motcua.portal import services as portal
from motcua.quality import services as quality
from motcua.quality.models import Rating
from motcua.standing import selectors
from motcua.standing import services as standing
from motcua.standing.components import Measure
from motcua.standing.inputs import ComponentFigures, Source, StandingFigures
from tests.factories import Province, local


def settle(p: Province, d: Dossier, at: datetime, department: bool = False) -> Dossier:
    specialist, leader = (p.justice_specialist, p.justice_leader) if department else (p.specialist, p.leader)
    d = services.complete_step(dossier=d, acting_user=specialist, now=at)
    d = services.approve(dossier=d, acting_user=leader, now=at)
    return services.issue_result(dossier=d, acting_user=leader, now=at)


def at_counter(p: Province, unit=None, procedure=None) -> Dossier:
    counter = p.center_counter if unit is not None else p.counter
    d = services.receive(
        intake=p.intake(procedure, unit),
        channel=Channel.COUNTER,
        acting_user=counter,
        now=local(2026, 3, 2, 9),
    )
    return services.start_processing(dossier=d, acting_user=counter, now=local(2026, 3, 2, 9))


@pytest.fixture
def year_2026(province) -> Province:
    p = province
    for _i in range(2):
        settle(p, at_counter(p), local(2026, 3, 4, 10))
    online = services.submit_online(intake=p.intake(), acting_user=p.citizen, now=local(2026, 3, 1, 20))
    online = services.accept(dossier=online, acting_user=p.counter, now=local(2026, 3, 2, 9))
    online = services.start_processing(dossier=online, acting_user=p.counter, now=local(2026, 3, 2, 9))
    settle(p, online, local(2026, 3, 4, 10))
    late = settle(p, at_counter(p), local(2026, 3, 6, 10))
    portal.rate(
        dossier=late, satisfied=False, attitude=2, timeliness=1, guidance=2, comment="Chậm", acting_user=None
    )
    Rating.objects.update(created_at=local(2026, 3, 6, 11))  # stamped with the real clock
    for day in (6, 11, 12):
        settle(p, at_counter(p, p.center, p.nationality), local(2026, 3, day, 10), department=True)
    quality.rebuild()  # the test's transaction never commits: the statistics' refresh after commit never runs
    return p


def pair(rate) -> tuple[float, float]:
    return (rate.numerator, rate.denominator)


def test_the_province_computed_components(year_2026):
    rates = selectors.province_rates(2026)
    assert pair(rates[Measure.ON_TIME]) == (4, 7)
    assert pair(rates[Measure.ONLINE]) == (1, 7)
    assert pair(rates[Measure.DIGITISATION]) == (0, 7)
    assert pair(rates[Measure.SATISFACTION]) == (3, 7)
    assert all(rate is None for rate in selectors.province_rates(2025).values())  # no dossier that year


def test_shown_beside_the_latest_published_component(year_2026):
    p = year_2026
    standing.record_standing(
        acting_user=p.admin,
        figures=StandingFigures(
            index="papi",
            year=2025,
            max_score=Decimal(80),
            score=Decimal("42.5"),
            source=Source(sample=True),
            components=(ComponentFigures(code="tthc_cong", score=Decimal("7.5"), max_score=Decimal(10)),),
        ),
    )
    on_time = next(row for row in selectors.computed(2026) if row.measure == Measure.ON_TIME)
    assert on_time.indicator == "2.1" and pair(on_time.rate) == (4, 7)
    papi = next(b for b in on_time.beside if b.index == "papi")
    assert (papi.year, papi.component, papi.ratio) == (2025, "Thủ tục hành chính công", Decimal("0.75"))
    par = next(b for b in on_time.beside if b.index == "par_index")
    assert par.figure is None and par.year is None  # nothing recorded for the PAR Index


def test_the_units_that_drag_each_component_down(year_2026):
    p = year_2026
    drag = selectors.drag_down(2026)

    def rows(measure):
        return [(u.unit, pair(u.rate), u.share) for u in drag[measure]]

    commune, justice = p.commune.name, p.justice.name
    assert rows(Measure.ON_TIME) == [
        (justice, (1, 3), pytest.approx(2 / 3)),
        (commune, (3, 4), pytest.approx(1 / 3)),
    ]
    # Equal shortfalls (3 each): the lower rate first.
    assert rows(Measure.ONLINE) == [(justice, (0, 3), 0.5), (commune, (1, 4), 0.5)]
    assert rows(Measure.DIGITISATION) == [
        (commune, (0, 4), pytest.approx(4 / 7)),
        (justice, (0, 3), pytest.approx(3 / 7)),
    ]
    assert rows(Measure.SATISFACTION) == [(justice, (1, 3), 0.5), (commune, (2, 4), 0.5)]
