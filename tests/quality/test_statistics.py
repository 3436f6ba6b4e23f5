"""Every figure of March 2026 (tests/quality/scenario.py), against numbers worked out by hand."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from motcua.dossiers.clock import Timeliness
from motcua.dossiers.selectors import dossier_timeliness
from motcua.quality import indicators, selectors, services
from motcua.quality.periods import month
from motcua.quality.selectors import Scope
from motcua.quality.verify import verify
from tests.factories import Province, build_province
from tests.quality.scenario import Month, build

MARCH = month(2026, 3)
EXPECTED = {
    "A0": Timeliness.EARLY,
    "A6": Timeliness.EARLY,
    "A7": Timeliness.EARLY,
    "B0": Timeliness.ON_TIME,
    "B4": Timeliness.ON_TIME,
    "C3": Timeliness.LATE,
    "D1": Timeliness.ON_TIME,  # lawful apology: judged by the new date, early against the original one
    "D2": Timeliness.LATE,
    "E1": Timeliness.LATE,  # unlawful apology: judged by 19/03 09:00
    "E2": Timeliness.OVERDUE,
    "F1": Timeliness.EARLY,
    "F2": Timeliness.LATE,  # two supplement requests
    "F3": Timeliness.EARLY,
    "G1": Timeliness.PAUSED,
    "G2": Timeliness.ON_TIME,
    "H1": Timeliness.PAUSED,
    "H2": Timeliness.PAUSED,
    "K1": Timeliness.EARLY,
    "K2": Timeliness.LATE,
    "L1": Timeliness.IN_TIME,
    "L2": Timeliness.IN_TIME,
    "L3": Timeliness.IN_TIME,
    "M1": Timeliness.OVERDUE,
    "M2": Timeliness.OVERDUE,
    "N1": Timeliness.EARLY,
    "N2": Timeliness.OVERDUE,
    "P1": Timeliness.EARLY,
    "I1": None,
    "J1": None,
}


@pytest.fixture(scope="module")
def _march(module_db) -> tuple[Province, Month]:
    p = build_province()
    s = build(p)
    services.rebuild()
    return p, s


# March, built once for the module: its tests read it (what one writes is rolled back after it).
@pytest.fixture
def province(_march, db) -> Province:
    return _march[0]


@pytest.fixture
def scenario(_march, db) -> Month:
    return _march[1]


def test_each_dossier_at_the_end_of_march(scenario):
    judged = {story: dossier_timeliness(scenario[story], as_of=MARCH.as_of) for story in EXPECTED}
    assert judged == EXPECTED


def march_total(province) -> selectors.Figures:
    return selectors.total(scope=Scope.of(province.province), period=MARCH)


def assert_march(f: selectors.Figures) -> None:
    assert f.carried == 2  # N1, N2
    assert (f.received_counter, f.received_online, f.received_post) == (33, 3, 2)
    assert f.not_accepted == 3  # J1, J2, P2
    assert (f.early, f.on_time, f.late, f.refused) == (13, 7, 8, 2)
    assert (f.withdrawn, f.withdrawn_late) == (2, 1)
    assert (f.in_progress, f.overdue, f.paused, f.paused_late, f.in_time) == (10, 4, 3, 1, 3)
    assert f.results == 26
    assert f.processing_hours == pytest.approx(692.5)  # net of the pauses, results only


def test_march_statistics(province, scenario):
    assert_march(march_total(province))


def test_the_same_figures_after_a_rebuild_and_verify(province, scenario):
    services.rebuild()
    assert_march(march_total(province))
    report = verify()
    assert report.ok, report.fact_mismatches + report.count_mismatches


def test_by_unit_and_by_procedure(province, scenario):
    by_unit = {
        r.key: r
        for r in selectors.statistics(
            scope=Scope.of(province.province), period=MARCH, group="receiving_unit_id"
        )
    }
    center, commune = by_unit[province.center.pk], by_unit[province.commune.pk]
    assert (center.received, center.not_accepted, center.early) == (1, 1, 1)
    assert (commune.received, commune.not_accepted, commune.settled) == (37, 2, 27)
    by_procedure = {
        r.key: r
        for r in selectors.statistics(scope=Scope.of(province.province), period=MARCH, group="procedure_id")
    }
    assert by_procedure[province.nationality.pk].not_accepted == 1
    assert by_procedure[province.birth.pk].not_accepted == 2


def test_decision_766_progress_and_satisfaction(province, scenario):
    results = {r.indicator.id: r for r in indicators.compute(scope=Scope.of(province.province), period=MARCH)}
    on_time = results["2.1"]
    # early 13 + on time 7 + in time 3 + paused on a single request 2 / settled 28 + in progress 10
    assert (on_time.numerator, on_time.denominator) == (25, 38)
    assert on_time.score == pytest.approx(20 * 25 / 38)
    # 38 − (late 8 + overdue 4 + paused after a second request 1) − not satisfied 0
    assert (results["6.3"].numerator, results["6.3"].denominator) == (25, 38)
    # 5.1 e-results: over the 26 dossiers settled with a result (the 2 refusals are no result); the signed
    # e-results are issued by the outbox, which these tests do not run.
    assert (results["5.1"].numerator, results["5.1"].denominator) == (0, 26)
    assert (results["3.1"].numerator, results["3.1"].denominator) == (3, 3)
    assert (results["3.2"].numerator, results["3.2"].denominator) == (1, 3)  # only birth had online dossiers
    assert (results["4.3"].numerator, results["4.3"].denominator) == (0, 38)  # every dossier bears a fee
    average = dict((label.split(" – ")[0], days) for label, _n, days in results["2.2"].detail)
    assert average["1.005136"] == pytest.approx(33 / 8)
    assert average["1.001193"] == pytest.approx(659.5 / 25 / 8)


@override_settings(QUALITY_WITHDRAWAL_ENDS_PROCESSING=True)
def test_withdrawal_as_an_end_when_configured(province, scenario):
    results = {r.indicator.id: r for r in indicators.compute(scope=Scope.of(province.province), period=MARCH)}
    assert (results["2.1"].numerator, results["2.1"].denominator) == (26, 40)  # I1 on time, I2 late


def test_late_list(province, scenario):
    rows = selectors.late_dossiers(scope=Scope.of(province.province), period=MARCH)
    late = {"C0", "C1", "C2", "C3", "D2", "E1", "F2", "K2"}
    still_open = {"E2", "M1", "M2", "N2"}
    assert {r.code for r in rows} == {scenario[s].code for s in late | still_open}
    assert {r.code for r in rows if r.open} == {scenario[s].code for s in still_open}
    e1 = next(r for r in rows if r.code == scenario["E1"].code)
    assert e1.apology["lawful"] is False


def test_late_supplement_requests(province, scenario):
    rows = selectors.late_supplement_requests(scope=Scope.of(province.province), period=MARCH)
    assert [r.code for r in rows] == [scenario["F3"].code]


def test_an_unfinished_month_makes_nobody_overdue_before_the_appointment(province, scenario):
    from motcua.quality.periods import month as month_period
    from tests.quality.scenario import counter

    today = timezone.localdate()
    d = counter(province, timezone.now() - timedelta(minutes=1))
    services.refresh_dossiers([d.pk])
    f = selectors.total(scope=Scope.of(province.province), period=month_period(today.year, today.month))
    assert dossier_timeliness(d) == Timeliness.IN_TIME
    # Now (after April 2026) the 4 overdue of March and L1–L3 are overdue; the paused never; the new one
    # is within its time.
    assert (f.in_progress, f.overdue, f.paused, f.in_time) == (11, 7, 3, 1)
    rows = selectors.late_dossiers(
        scope=Scope.of(province.province), period=month_period(today.year, today.month)
    )
    assert d.code not in {r.code for r in rows}


def test_the_api_gives_the_same_timeliness(province, scenario):
    from tests.api.conftest import client_for

    api = client_for(province.admin)
    expected = {
        "A6": "early",
        "B4": "on_time",
        "D1": "on_time",
        "E1": "late",
        "F2": "late",
        "G1": "paused",  # its old appointment 26/03 passed: the clock is stopped, not overdue
        "H1": "paused",
        "H2": "paused",
        "E2": "overdue",
        "K2": "late",
    }
    got = {
        story: api.get(f"/api/v1/dossiers/{scenario[story].code}/").json()["timeliness"] for story in expected
    }
    assert got == expected
