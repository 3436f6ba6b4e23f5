"""The demo's catalogue is announced by one demo decision, so indicators 1.1–1.3 have data in the demo."""

from datetime import date

import pytest

from motcua.catalog.models import DecisionItem, Procedure, PublicationDecision
from motcua.core.models import OrgUnit
from motcua.demo.catalogue import DEMO_DECISION, load_demo_decision, read_procedures
from motcua.quality import indicators
from motcua.quality.periods import month
from motcua.quality.selectors import Scope


@pytest.fixture
def loaded(demo) -> None:  # the demo catalogue (tests/catalog/conftest.py)
    return None


def ratio(indicator_id: str, period) -> tuple:
    province = OrgUnit.objects.get(kind=OrgUnit.Kind.PROVINCE)
    results = indicators.compute(scope=Scope.of(province), period=period)
    r = next(r for r in results if r.indicator.id == indicator_id)
    return r.numerator, r.denominator


def test_the_demo_decision_announces_every_procedure_once(loaded):
    decision = PublicationDecision.objects.get(number=DEMO_DECISION["number"])
    items = DecisionItem.objects.filter(decision=decision)
    assert items.count() == 25 and set(items.values_list("kind", flat=True)) == {"announce"}
    assert set(Procedure.objects.values_list("version", "effective_from", "effective_to")) == {
        (1, date(2025, 1, 1), None)
    }
    assert load_demo_decision([item["code"] for item in read_procedures()]) == 0  # a reload writes nothing


def test_indicators_1_1_to_1_3_on_the_demo(loaded):
    december = month(
        2024, 12
    )  # signed Mon 16/12/2024, 12 working days before 01/01/2025; public Thu 19/12 (3)
    assert ratio("1.1", december) == (25, 25)
    assert ratio("1.2", december) == (25, 25)
    # "Who applies" is not in the shared data: no demo procedure has all seven parts.
    assert ratio("1.3", month(2025, 1)) == (0, 25)
