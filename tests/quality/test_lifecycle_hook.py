"""The statistics follow every act of the lifecycle, through the outbox, without a rebuild."""

import io

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


def test_late_apology_then_restart_agrees_with_the_recomputation_from_events(province):
    from django.core.management import call_command

    from motcua.quality.models import DossierFact
    from tests.factories import local

    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    d = services.reschedule(
        dossier=d,
        acting_user=p.leader,
        new_appointment_at=local(2026, 3, 6, 17),
        reason="Chờ xác minh",
        now=local(2026, 3, 5, 8),
    )
    d = services.request_supplement(
        dossier=d, acting_user=p.specialist, missing=["Tờ khai"], reason="Thiếu", now=local(2026, 3, 5, 9)
    )
    d = services.complete_supplement(dossier=d, acting_user=p.counter, now=local(2026, 3, 9, 9))
    call_command("rebuild_stats", stdout=io.StringIO())
    assert DossierFact.objects.get(dossier_id=d.pk).appointment_at == local(2026, 3, 12, 9)
    call_command("verify_stats", stdout=io.StringIO())  # raises CommandError on any mismatch
