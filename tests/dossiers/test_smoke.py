from motcua.dossiers import services
from motcua.dossiers.states import Status
from tests.factories import local


def test_full_journey(province):
    p = province
    d = p.processing(p.inter_agency, now=local(2026, 3, 2, 9))
    assert d.status == Status.PROCESSING
    d = services.complete_step(dossier=d, acting_user=p.specialist, opinion="ok", now=local(2026, 3, 3, 9))
    d = services.complete_step(dossier=d, acting_user=p.justice_specialist, now=local(2026, 3, 4, 9))
    d = services.approve(dossier=d, acting_user=p.justice_leader, now=local(2026, 3, 5, 9))
    d = services.issue_result(dossier=d, acting_user=p.justice_leader, now=local(2026, 3, 5, 10))
    d = services.return_result(dossier=d, acting_user=p.counter, now=local(2026, 3, 6, 10))
    assert d.status == Status.RETURNED
    assert d.code.startswith("001.00.50.H40-260302-")
    assert d.events.count() == 7
