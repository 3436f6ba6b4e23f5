"""An online dossier withdrawn before anyone received it was never received: it is not in the month's
received, withdrawn or in-progress figures (#13 item 5 lets the applicant withdraw it from status 1)."""

import pytest

from motcua.dossiers import services
from motcua.dossiers.states import Status
from motcua.quality import selectors
from motcua.quality import services as statistics
from motcua.quality.periods import month
from motcua.quality.selectors import Scope
from tests.dossiers.helpers import at, dossier_in

pytestmark = pytest.mark.django_db


def test_withdrawn_before_reception_counts_nowhere_and_after_reception_counts_once(province):
    before = dossier_in(province, Status.NEW_ONLINE)
    services.withdraw(dossier=before, acting_user=province.citizen, reason="Nộp nhầm thủ tục", now=at(1))
    after = dossier_in(province, Status.NEW_ONLINE)
    after = services.accept(dossier=after, acting_user=province.counter, now=at(0.5))
    services.withdraw(dossier=after, acting_user=province.counter, reason="Công dân xin rút", now=at(1))
    statistics.refresh_dossiers([before.pk, after.pk])  # what the outbox does after commit

    moment = at(0)
    figures = selectors.total(scope=Scope.of(province.province), period=month(moment.year, moment.month))
    # By hand: one dossier received (the accepted one), withdrawn the same day; the other never received.
    assert (figures.received_counter, figures.received_online, figures.received_post) == (0, 1, 0)
    assert figures.withdrawn == 1
    assert figures.in_progress == 0
