"""`motcua dvcqg_catchup`: the calls recorded while no national portal was configured are sent once it is,
in order per dossier (DongBoHoSoMC once, as the dossier is now; CapNhatTienDoHoSoMC per event)."""

import io

import pytest
from django.core.management import CommandError, call_command

from motcua.dossiers import services
from motcua.interop.models import SyncRecord
from motcua.outbox import services as outbox
from tests.dossiers.helpers import at
from tests.interop.stand_in import CAP_NHAT, DONG_BO, connect


def test_calls_recorded_without_a_portal_are_caught_up_in_order(province, settings, monkeypatch):
    settings.MOTCUA_DVCQG_URL = ""
    with pytest.raises(CommandError):
        call_command("dvcqg_catchup")
    first = province.receive(now=at(0))
    outbox.dispatch_pending()
    first = services.start_processing(dossier=first, acting_user=province.counter, now=at(0.5))
    second = province.receive(now=at(1), id_number="040090009999")
    outbox.dispatch_pending()
    assert SyncRecord.objects.filter(status="pending").count() == 6

    portal = connect(settings, monkeypatch)
    call_command("dvcqg_catchup", stdout=io.StringIO())
    assert portal.of(first.code) == [(DONG_BO, "4"), (CAP_NHAT, "2"), (CAP_NHAT, "4")]
    assert portal.of(second.code) == [(DONG_BO, "2"), (CAP_NHAT, "2")]
    statuses = SyncRecord.objects.values_list("service", "status")
    assert sorted(set(statuses)) == [(CAP_NHAT, "sent"), (DONG_BO, "sent"), (DONG_BO, "superseded")]
    assert SyncRecord.objects.filter(service=DONG_BO, status="sent").count() == 2  # one per dossier

    portal.calls.clear()
    call_command("dvcqg_catchup", stdout=io.StringIO())
    assert portal.calls == []  # nothing left
