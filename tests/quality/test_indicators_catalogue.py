"""Decision 766 indicators 1.1–1.3 from the publication decisions, and statistics per procedure code.

March 2026 has no public holiday: Mon 02, 09, 16, 23, 30. Five decisions (hand-computed below):

| decision | signed | legal basis in force | working days before | national DB | working days after |
|---|---|---|---|---|---|
| 05 (Feb, outside) | Mon 02/02 | – | – | – | – |
| 01: amends birth and inter-agency | Mon 02/03 | Mon 09/03 | 5 (on time) | Mon 09/03 | 5 (on time) |
| 02: announces 2.000001 | Tue 03/03 | Mon 09/03 | 4 (late) | Wed 11/03 | 6 (late) |
| 03: abolishes nationality | Mon 23/03 | not recorded (late) | – | not yet | 6 by 31/03: due, late |
| 04: amends birth again | Fri 27/03 | Mon 06/04 | 6 (on time) | not yet | 2 by 31/03: not due |
"""

from datetime import date
from decimal import Decimal

import pytest

from motcua.catalog import publication
from motcua.catalog import selectors as catalog
from motcua.quality import indicators, services
from motcua.quality.periods import month
from motcua.quality.selectors import Scope, statistics
from tests.factories import local

MARCH = month(2026, 3)
BIRTH = "1.001193"


def decide(number: str, signed_on: date, effective_on: date, **extra):
    return publication.record_decision(
        number=number,
        signed_on=signed_on,
        signer="Chủ tịch",
        effective_on=effective_on,
        acting_user=None,
        **extra,
    )


@pytest.fixture
def decisions(province):
    feb = decide("05/QĐ-UBND", date(2026, 2, 2), date(2026, 2, 9))
    publication.amend(
        procedure=province.inter_agency, changes={"name": "Liên thông"}, decision=feb, today=date(2026, 2, 2)
    )
    first = decide(
        "01/QĐ-UBND",
        date(2026, 3, 2),
        date(2026, 3, 16),
        legal_basis_effective_on=date(2026, 3, 9),
        national_db_published_on=date(2026, 3, 9),
    )
    for procedure in (province.birth, province.inter_agency):
        publication.amend(
            procedure=procedure, changes={"who_applies": "Công dân"}, decision=first, today=date(2026, 3, 2)
        )
    second = decide(
        "02/QĐ-UBND",
        date(2026, 3, 3),
        date(2026, 3, 16),
        legal_basis_effective_on=date(2026, 3, 9),
        national_db_published_on=date(2026, 3, 11),
    )
    publication.announce(
        decision=second,
        data={
            "code": "2.000001",
            "name": "Thủ tục mới",
            "field": "Hộ tịch",
            "level": "commune",
            "agency_description": "UBND cấp xã",
            "who_applies": "Công dân",
            "time_limit_amount": Decimal(1),
            "time_limit_unit": "working_days",
        },
        components=[{"name": "Tờ khai"}],  # no process steps: one of the seven parts missing
    )
    third = decide("03/QĐ-UBND", date(2026, 3, 23), date(2026, 4, 1))
    publication.abolish(procedure=province.nationality, decision=third, today=date(2026, 3, 23))
    fourth = decide(
        "04/QĐ-UBND", date(2026, 3, 27), date(2026, 4, 6), legal_basis_effective_on=date(2026, 4, 6)
    )
    publication.amend(
        procedure=province.birth, changes={"name": "Khai sinh"}, decision=fourth, today=date(2026, 3, 27)
    )


def result(scope_unit, indicator_id: str) -> indicators.Result:
    return next(
        r
        for r in indicators.compute(scope=Scope.of(scope_unit), period=MARCH)
        if r.indicator.id == indicator_id
    )


def test_published_on_time(province, decisions):
    r = result(province.province, "1.1")
    assert (r.numerator, r.denominator) == (3, 5)  # 01 × 2 and 04 on time; 02 and 03 late
    assert r.score == pytest.approx(3 * 6 / 5)
    commune = result(province.commune, "1.1")  # the nationality procedure is the province's
    assert (commune.numerator, commune.denominator) == (3, 4)


def test_made_public_on_the_national_database_on_time(province, decisions):
    r = result(province.province, "1.2")
    assert (r.numerator, r.denominator) == (2, 4)  # 01 × 2 on time; 02 late; 03 overdue; 04 not due yet
    assert r.score == pytest.approx(2 * 4 / 4)


def test_procedures_with_all_seven_parts(province, decisions):
    # In force on 31/03: birth v2 and inter-agency v3 (who applies set by 01), nationality (abolished from
    # 01/04; who applies unknown), 2.000001 (no process steps).
    r = result(province.province, "1.3")
    assert (r.numerator, r.denominator) == (2, 4)


def test_without_decisions_in_the_period_1_1_and_1_2_have_no_data(province):
    for indicator_id in ("1.1", "1.2"):
        r = result(province.province, indicator_id)
        assert not r.has_data and r.score is None and r.numerator is None


def test_dossiers_of_two_versions_count_under_one_procedure(province, decisions):
    v1 = catalog.procedure_by_code(BIRTH, on=date(2026, 3, 5))
    v2 = catalog.procedure_by_code(BIRTH, on=date(2026, 3, 17))
    assert (v1.version, v2.version) == (1, 2)
    dossiers = [
        province.receive(v1, now=local(2026, 3, 5, 9)),
        province.receive(v2, now=local(2026, 3, 17, 9)),
    ]
    services.refresh_dossiers([d.pk for d in dossiers])
    rows = statistics(scope=Scope.of(province.province), period=MARCH, group="procedure_id")
    births = [r for r in rows if r.label.startswith(BIRTH)]
    assert len(births) == 1 and births[0].received_counter == 2
    assert len(rows) == 1
