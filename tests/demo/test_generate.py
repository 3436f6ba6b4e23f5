import re
from datetime import date

import pytest

from motcua.demo import synthetic
from motcua.dossiers.clock import Timeliness
from motcua.dossiers.models import Dossier, DossierCodeSequence, DossierEvent
from motcua.dossiers.selectors import dossier_timeliness
from motcua.dossiers.states import Act, next_status
from motcua.quality import services
from motcua.quality.models import DossierFact
from motcua.quality.verify import verify
from tests.factories import local

UNTIL = local(2026, 4, 1, 12)


@pytest.fixture
def generated(province):
    made = synthetic.generate(dossiers=400, seed=7, since=date(2026, 1, 1), until=UNTIL)
    services.rebuild()
    return made


def test_aggregates_agree_with_a_recomputation_from_the_events(generated):
    assert generated == Dossier.objects.count() > 300
    report = verify()
    assert report.ok, report.fact_mismatches + report.count_mismatches


def test_timeliness_equals_the_dossier_selectors(generated):
    facts = DossierFact.objects.in_bulk()
    for d in Dossier.objects.select_related("procedure").order_by("pk")[:200]:
        judged = dossier_timeliness(d, as_of=UNTIL)
        expected = judged.value if judged in (Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE) else ""
        assert facts[d.pk].outcome == expected, d.code


def test_event_chains_follow_the_state_machine(generated):
    events: dict[int, list] = {}
    for e in DossierEvent.objects.order_by("at", "pk"):
        events.setdefault(e.dossier_id, []).append(e)
    for dossier in Dossier.objects.all():
        chain = events[dossier.pk]
        assert chain[0].from_status is None
        current = 0
        for e in chain:
            assert e.from_status in (None, current)
            assert next_status(Act(e.act), current) == e.to_status
            current = e.to_status
        assert current == dossier.status
        assert dossier.version == len(chain)


def test_codes_and_their_sequences(generated):
    pattern = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.H40-\d{6}-\d{4}$")
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert all(pattern.match(c) for c in codes)
    top = {
        (s.agency_code, s.day.strftime("%y%m%d")): s.last_number for s in DossierCodeSequence.objects.all()
    }
    for code in codes:
        agency, day, number = code.rsplit("-", 2)
        assert int(number) <= top[(agency, day)]


def _rows() -> dict[str, list]:
    from motcua.demo.synthetic import COLUMNS

    out = {}
    for model, columns in COLUMNS.items():
        kept = [c for c in columns if c not in ("created_at", "updated_at")]
        out[model.__name__] = list(model.objects.order_by("pk").values_list(*kept))
    out["codes"] = sorted(DossierCodeSequence.objects.values_list("agency_code", "day", "last_number"))
    return out


@pytest.mark.django_db(transaction=True)
def test_the_two_process_pipeline_writes_the_same_rows(monkeypatch):
    from django.db import connection

    from motcua.dossiers.models import (
        ClockPause,
        Consultation,
        DossierComponent,
        DossierUnit,
        Reschedule,
        StepInstance,
    )
    from tests.factories import build_province

    if connection.vendor != "postgresql":
        pytest.skip("the pipeline (a forked simulating process) runs on PostgreSQL only")
    build_province()
    monkeypatch.setattr(synthetic, "PIPELINE_FROM", 1)
    synthetic.generate(dossiers=300, seed=5, since=date(2026, 1, 1), until=UNTIL)
    piped = _rows()
    for model in (Consultation, Reschedule, ClockPause, DossierEvent, DossierComponent, DossierUnit):
        model.objects.all()._raw_delete(connection.alias)
    Dossier.objects.update(current_step=None)
    StepInstance.objects.all()._raw_delete(connection.alias)
    Dossier.objects.all()._raw_delete(connection.alias)
    DossierCodeSequence.objects.all().delete()
    monkeypatch.setattr(synthetic, "PIPELINE_FROM", 10**9)
    synthetic.generate(dossiers=300, seed=5, since=date(2026, 1, 1), until=UNTIL)
    assert _rows() == piped
    assert len(piped["Dossier"]) > 250
