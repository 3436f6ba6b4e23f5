"""The statistics follow every act of the lifecycle, through the outbox, without a rebuild."""

from motcua.dossiers import services
from motcua.quality.models import DossierFact
from tests.dossiers.helpers import at


def test_each_act_refreshes_its_dossiers_facts(province, django_capture_on_commit_callbacks):
    p = province
    with django_capture_on_commit_callbacks(execute=True):
        d = p.receive(now=at(0))
    assert DossierFact.objects.filter(dossier_id=d.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        d = services.withdraw(dossier=d, acting_user=p.counter, reason="Công dân xin rút", now=at(1))
    fact = DossierFact.objects.get(dossier_id=d.pk)
    assert fact.withdrawn_day is not None
