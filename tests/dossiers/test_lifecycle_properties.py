"""Random sequences of acts through the real services keep the dossier's invariants."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import RULES, TERMINAL, Status
from tests.dossiers.helpers import dossier_in
from tests.dossiers.test_refused_transitions import CALLS


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(acts=st.lists(st.sampled_from(sorted(CALLS)), min_size=1, max_size=12))
def test_random_acts_keep_the_invariants(province, acts):
    dossier = dossier_in(province, Status.PROCESSING)
    for act in acts:
        before = Dossier.objects.get(pk=dossier.pk)
        events_before = before.events.count()
        try:
            after = CALLS[act](province, before, province.admin)
        except DomainError:
            now = Dossier.objects.get(pk=dossier.pk)
            assert (now.status, now.version, now.appointment_at) == (
                before.status,
                before.version,
                before.appointment_at,
            )
            assert now.events.count() == events_before
            continue
        assert before.status in RULES[act].sources and before.status not in TERMINAL
        assert after.version == before.version + 1
        assert after.events.count() == events_before + 1
        if after.status in (Status.SUPPLEMENT_REQUESTED, Status.FINANCIAL_OBLIGATION):
            assert after.pauses.filter(ended_at__isnull=True).count() == 1
        else:
            assert not after.pauses.filter(ended_at__isnull=True).exists()
        if after.ended_at is not None:
            assert after.status in (Status.FINISHED, Status.STOPPED, Status.RETURNED)
    final = Dossier.objects.get(pk=dossier.pk)
    assert final.appointment_at >= final.clock_started_at >= final.received_at
