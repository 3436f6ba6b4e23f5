"""The demo's dossiers for the ministries' systems (#19): at the appraisal step of the unit whose officer
sends them over the axis, one per connected procedure."""

from io import StringIO

import pytest
from django.core.management import call_command

from motcua.core.models import User
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Status
from motcua.interop.ministries.services import may_send


@pytest.fixture(scope="module")
def _loaded_once(module_db) -> None:
    call_command("demo", stdout=StringIO())


@pytest.fixture
def loaded(_loaded_once, db) -> None:
    return None


@pytest.mark.parametrize(
    ("code", "officer", "others", "count"),
    [
        # the demo's two judicial records at the provincial police (one waits on a consultation too)
        ("3.000333", "chuyenvien.congantinh", "chuyenvien.taichinh", 2),
        ("2.001610", "chuyenvien.taichinh", "chuyenvien.csgt", 1),
        ("3.000347", "chuyenvien.csgt", "tiepnhan.tinh", 1),
    ],
)
def test_each_connected_procedure_has_a_dossier_its_officer_may_send(loaded, code, officer, others, count):
    waiting = [
        d
        for d in Dossier.objects.filter(procedure__code=code, status=Status.PROCESSING).select_related(
            "procedure"
        )
        if may_send(dossier=d, acting_user=User.objects.get(username=officer))
    ]

    assert len(waiting) == count
    assert not any(may_send(dossier=d, acting_user=User.objects.get(username=others)) for d in waiting)


def test_loading_again_adds_no_dossier(loaded):
    before = Dossier.objects.count()
    call_command("demo", stdout=StringIO())
    assert Dossier.objects.count() == before
