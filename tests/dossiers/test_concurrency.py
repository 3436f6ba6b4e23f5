"""Two officers acting at once: exactly one wins, the other gets a clear conflict. Codes stay unique."""

import pytest

from motcua.core.errors import ConflictError
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Status
from tests.concurrency import run_at_once
from tests.dossiers.helpers import at, dossier_in
from tests.factories import build_province

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_officers_acting_on_the_same_dossier():
    p = build_province()
    d = dossier_in(p, Status.PROCESSING)
    seen_by_specialist = Dossier.objects.get(pk=d.pk)
    seen_by_leader = Dossier.objects.get(pk=d.pk)
    outcomes = run_at_once(
        lambda: services.complete_step(dossier=seen_by_specialist, acting_user=p.specialist, now=at(2)),
        lambda: services.refuse(dossier=seen_by_leader, acting_user=p.leader, reason="Không đủ", now=at(2)),
    )
    winners = [o for o in outcomes if isinstance(o, Dossier)]
    losers = [o for o in outcomes if isinstance(o, ConflictError)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert "vừa được người khác cập nhật" in str(losers[0].message)
    d.refresh_from_db()
    assert d.version == seen_by_specialist.version + 1
    assert d.events.count() == 3  # receive, start_processing, and the winner's act only


def test_dossier_codes_are_unique_under_concurrent_reception():
    p = build_province()
    outcomes = run_at_once(*[lambda: p.receive(now=at(1)) for _ in range(6)])
    assert all(isinstance(o, Dossier) for o in outcomes), outcomes
    codes = sorted(o.code for o in outcomes)
    assert codes == [f"001.00.50.H40-260302-{n:04d}" for n in range(1, 7)]
