"""The rules of "who is late": the quantisation, the percentiles, the candidates for a shorter time limit,
and the read models kept up to date after each act (through the outbox) as a rebuild would write them."""

import io
from decimal import Decimal

from motcua.dossiers import services as dossier_services
from motcua.quality import lateness, services, stepfacts
from motcua.quality.lateness_rules import is_candidate, percentile, published_limit_hours, quantise
from motcua.quality.models import ProcessingStat, StepFact, StepStat
from motcua.quality.periods import month
from motcua.quality.selectors import Scope
from tests.factories import local, make_procedure
from tests.quality.lateness_scenario import LAND, build


def test_quantise_rounds_up_to_hours_then_half_days_then_days():
    hours = (0, 1 / 3600, 1, 1 + 0.0009 / 3600, 1 + 1 / 3600, 8, 8 + 1 / 3600, 10.5, 16.5, 40, 41)
    assert [quantise(h) for h in hours] == [0, 1, 1, 1, 2, 8, 12, 12, 20, 40, 48]


def test_percentile_by_nearest_rank():
    assert percentile({}, 50) is None
    assert percentile({5: 1}, 90) == 5
    counts = {1: 2, 2: 2, 7: 1, 16: 1}  # 1 1 2 2 7 16
    assert (percentile(counts, 50), percentile(counts, 90)) == (2, 16)  # ranks 3 and 6
    assert percentile({1: 5, 9: 5}, 50) == 1 and percentile({1: 5, 9: 6}, 50) == 9  # ranks 5 and 6


def test_published_limit_in_working_hours_and_the_candidate_rule(db):
    assert published_limit_hours(make_procedure("A", level="commune", amount="3")) == 24
    assert published_limit_hours(make_procedure("B", level="commune", amount="7", unit="days")) == 40
    assert published_limit_hours(make_procedure("C", level="commune", amount="4", unit="working_hours")) == 4
    assert published_limit_hours(make_procedure("D", level="commune", amount="1", unit="months")) == 176
    assert is_candidate(10, 12, Decimal(24)) and not is_candidate(10, 13, Decimal(24))
    assert not is_candidate(9, 1, Decimal(24)) and not is_candidate(10, None, Decimal(24))


def test_candidates_for_a_shorter_time_limit(province):
    """Birth registration (3 working days = 24 h): 10 results in 3.5 h (quantised 4 h) each; the
    nationality procedure (5 days = 40 h): 10 results in 20.5 h (quantised 24 h), above half its limit
    (20 h)."""
    p = province
    for _ in range(10):
        d = p.processing(now=local(2026, 3, 16, 9))  # received at the commune
        d = dossier_services.complete_step(dossier=d, acting_user=p.specialist, now=local(2026, 3, 16, 13))
        d = dossier_services.approve(dossier=d, acting_user=p.leader, now=local(2026, 3, 16, 14))
        dossier_services.issue_result(dossier=d, acting_user=p.leader, now=local(2026, 3, 16, 14))
    for _ in range(10):  # Mon 16/03 09:00 → Wed 18/03 15:00: 6.5 + 8 + 6 = 20.5 h (quantised 24 h)
        d = p.processing(p.nationality, now=local(2026, 3, 16, 9))
        d = dossier_services.complete_step(
            dossier=d, acting_user=p.justice_specialist, now=local(2026, 3, 18, 9)
        )
        d = dossier_services.approve(dossier=d, acting_user=p.justice_leader, now=local(2026, 3, 18, 15))
        dossier_services.issue_result(dossier=d, acting_user=p.justice_leader, now=local(2026, 3, 18, 15))
    services.rebuild()
    found = lateness.candidates(scope=Scope.of(p.province), period=month(2026, 3))
    assert [(c.code, c.results, c.median_hours, c.limit_hours, round(c.share or 0, 4)) for c in found] == [
        ("1.001193", 10, 4, 24, 0.1667)
    ]
    assert lateness.candidates(scope=Scope.of(p.justice), period=month(2026, 3)) == []  # decided by communes


def rollups() -> tuple[list[tuple], list[tuple], list[tuple]]:
    facts = sorted(
        StepFact.objects.values_list("step_id", "unit_id", "official", "bucket", "late", "overrun_hours")
    )
    stats = sorted(
        StepStat.objects.filter(steps__gt=0).values_list(
            "grain",
            "month",
            "unit_id",
            "procedure_code",
            "position",
            "official",
            "bucket",
            "steps",
            "late",
            "overrun_hours",
            "name",
        )
    )
    processing = sorted(
        ProcessingStat.objects.filter(results__gt=0).values_list(
            "month", "deciding_unit_id", "procedure_code", "bucket", "results"
        )
    )
    return facts, stats, processing


def test_each_act_keeps_the_step_facts_and_rollups_as_a_rebuild_writes_them(
    province, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        land = build(province)
    refreshed = rollups()
    table = lateness.by_unit(scope=Scope.of(province.province), period=month(2026, 3))
    assert (table.total.steps, table.total.late, table.total.overrun_hours) == (16, 4, 33.5)
    assert table.rows[0].label == land.tax.name
    services.rebuild()
    assert rollups() == refreshed
    assert len(refreshed[0]) == 16
    # Net processing time of the results: D1 Mon 02/03 09:00 → Fri 06/03 10:00 and D3 Tue 03/03 08:00 →
    # Mon 09/03 09:00, 33 h each (quantised 36 h); D2 Mon 02/03 16:00 → Tue 10/03 14:00, 46 h (48 h).
    march, justice = local(2026, 3, 1).date(), province.justice.pk
    assert refreshed[2] == [(march, justice, LAND, 36, 2), (march, justice, LAND, 48, 1)]


def test_verify_stats_checks_the_step_read_models(province):
    import pytest
    from django.core.management import CommandError, call_command

    build(province)
    services.rebuild()
    assert stepfacts.verify() == []
    call_command("verify_stats", stdout=io.StringIO())
    row = StepStat.objects.filter(grain="unit", late__gt=0).first()
    StepStat.objects.filter(pk=row.pk).update(late=row.late + 1)
    StepFact.objects.filter(late=True).update(bucket=99)  # one tampered fact of each late step
    problems = stepfacts.verify()
    assert any(p.startswith("StepStat ('unit'") for p in problems)
    assert sum(p.endswith(": bucket") for p in problems) == 4
    with pytest.raises(CommandError):
        call_command("verify_stats", stdout=io.StringIO())
