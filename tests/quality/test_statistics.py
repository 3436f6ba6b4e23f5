from dataclasses import replace
from datetime import date

import pytest

from motcua.dossiers import clock
from motcua.dossiers.clock import Timeliness
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import clock_facts, dossier_timeliness
from motcua.quality import indicators, selectors, services
from motcua.quality.models import DailyStat, DossierFact, MonthlyStat
from motcua.quality.periods import custom, month, quarter
from motcua.quality.selectors import Scope
from motcua.quality.verify import verify
from tests.quality.scenario import build


@pytest.fixture
def scenario(province):
    s = build(province)
    services.rebuild()
    return s


def test_the_reference_classification_of_each_dossier(scenario):
    as_of = month(2026, 3).as_of
    assert dossier_timeliness(scenario.carried, as_of=as_of) == Timeliness.EARLY
    assert dossier_timeliness(scenario.paused, as_of=as_of) == Timeliness.EARLY
    assert dossier_timeliness(scenario.apology, as_of=as_of) == Timeliness.LATE
    assert dossier_timeliness(scenario.refused, as_of=as_of) == Timeliness.EARLY
    assert dossier_timeliness(scenario.online_overdue, as_of=as_of) == Timeliness.OVERDUE
    facts = DossierFact.objects.in_bulk()
    for d in Dossier.objects.all():
        judged = dossier_timeliness(d, as_of=as_of)
        if judged in (Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE):
            assert facts[d.pk].outcome == judged.value


def test_march_statistics(province, scenario):
    f = selectors.total(scope=Scope.of(province.province), period=month(2026, 3))
    assert f.carried == 1
    assert (f.received_counter, f.received_online, f.received_post) == (4, 1, 0)
    assert (f.early, f.on_time, f.late, f.refused) == (3, 0, 1, 1)
    assert f.withdrawn == 1
    assert (f.in_progress, f.overdue, f.in_time) == (1, 1, 0)
    assert f.carried + f.received - f.settled - f.withdrawn == f.in_progress
    assert f.on_time_rate == pytest.approx(3 / 4)
    assert f.online_rate == pytest.approx(1 / 5)


def test_february_carries_one_dossier_in_time(province, scenario):
    f = selectors.total(scope=Scope.of(province.province), period=month(2026, 2))
    assert (f.carried, f.received, f.settled, f.in_progress, f.in_time) == (0, 1, 0, 1, 1)


def test_in_progress_at_a_period_end_is_judged_there(province, scenario):
    # On 04/03 the online dossier (appointment Fri 06/03) is within time; the apology one too.
    f = selectors.total(scope=Scope.of(province.province), period=custom(date(2026, 3, 1), date(2026, 3, 4)))
    open_then = [scenario.paused, scenario.apology, scenario.online_overdue]
    assert f.in_progress == len(open_then)
    as_of = custom(date(2026, 3, 1), date(2026, 3, 4)).as_of
    expected_overdue = sum(
        clock.classify(replace(clock_facts(d), ended_at=None), as_of=as_of) == Timeliness.OVERDUE
        for d in open_then
    )
    assert f.overdue == expected_overdue


def test_periods_spanning_months_use_the_same_numbers(province, scenario):
    scope = Scope.of(province.province)
    q = selectors.total(scope=scope, period=quarter(2026, 1))
    assert (q.received, q.settled, q.withdrawn, q.in_progress, q.carried) == (6, 4, 1, 1, 0)
    odd = selectors.total(scope=scope, period=custom(date(2026, 2, 20), date(2026, 3, 15)))
    assert (odd.received, odd.settled, odd.carried) == (6, 4, 0)


def test_scope_of_another_commune_is_empty(province, scenario):
    assert selectors.statistics(scope=Scope.of(province.other_commune), period=month(2026, 3)) == []
    rows = selectors.statistics(scope=Scope.of(province.commune), period=month(2026, 3), group="procedure_id")
    assert [r.received for r in rows] == [5]


def test_on_time_indicator_and_score(province, scenario):
    results = {
        r.indicator.id: r
        for r in indicators.compute(scope=Scope.of(province.province), period=month(2026, 3))
    }
    on_time = results["2.1"]
    assert (on_time.numerator, on_time.denominator) == (3, 5)
    assert on_time.score == pytest.approx(0.6 * 20)
    assert results["1.4"].score is None and results["1.4"].numerator is None
    assert results["3.3"].ratio == pytest.approx(1 / 5) and results["3.3"].score is None
    assert results["2.2"].detail and results["2.2"].score is None


def test_late_list_names_the_step_and_the_apology(province, scenario):
    rows = selectors.late_dossiers(scope=Scope.of(province.province), period=month(2026, 3))
    codes = {r.code: r for r in rows}
    assert set(codes) == {scenario.apology.code, scenario.online_overdue.code}
    late = codes[scenario.apology.code]
    assert late.apology["lawful"] is True
    assert late.steps and late.steps[0]["unit"] == province.commune.name
    letters = selectors.apology_letters(scope=Scope.of(province.province), period=month(2026, 3))
    assert [r.dossier_id for r in letters] == [scenario.apology.pk]


def test_refresh_after_an_act_equals_a_rebuild(province, scenario):
    from motcua.dossiers import services as lifecycle
    from tests.factories import local

    d = lifecycle.return_result(
        dossier=scenario.refused, acting_user=province.counter, now=local(2026, 3, 5, 9)
    )
    d = lifecycle.complete_step(
        dossier=scenario.online_overdue, acting_user=province.specialist, now=local(2026, 4, 1, 9)
    )
    services.refresh_dossiers([scenario.refused.pk, d.pk])
    refreshed = sorted(
        DailyStat.objects.values_list(
            "day", "receiving_unit_id", "procedure_id", "early", "late", "overdue_out"
        )
    )
    monthly = sorted(
        MonthlyStat.objects.values_list("month", "received_online", "late", "overdue_in", "overdue_out")
    )
    services.rebuild()
    rebuilt = sorted(
        DailyStat.objects.values_list(
            "day", "receiving_unit_id", "procedure_id", "early", "late", "overdue_out"
        )
    )
    assert [r for r in refreshed if any(r[3:])] == [r for r in rebuilt if any(r[3:])]
    assert monthly == sorted(
        MonthlyStat.objects.values_list("month", "received_online", "late", "overdue_in", "overdue_out")
    )
    assert verify().ok
