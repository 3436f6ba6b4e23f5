"""The units each dossier belongs to (`DossierUnit`): who sees it, and which dossiers are still open.

Visibility is read through these rows alone, so they must be exactly what the services imply: the receiving
unit and every unit with a step, open until the dossier closes; the backfill (migration, generator) must
write the same rows as the services.
"""

from motcua.dossiers import scope, services
from motcua.dossiers.access import visible_dossiers
from motcua.dossiers.models import DossierUnit
from motcua.dossiers.states import Status
from tests.dossiers.helpers import at, dossier_in


def rows(dossier) -> set[tuple[int, bool]]:
    return set(DossierUnit.objects.filter(dossier=dossier).values_list("unit_id", "open"))


def test_an_inter_agency_dossier_belongs_to_its_commune_and_the_department(province):
    d = province.receive(province.inter_agency, now=at(0))
    assert rows(d) == {(province.commune.pk, True), (province.justice.pk, True)}


def test_a_dossier_refused_at_the_counter_belongs_to_the_counter_closed(province):
    d = dossier_in(province, Status.NOT_ACCEPTED)
    assert rows(d) == {(province.commune.pk, False)}
    assert d in visible_dossiers(province.counter)


def test_closing_acts_close_every_row(province):
    returned = dossier_in(province, Status.RETURNED)
    withdrawn = dossier_in(province, Status.WITHDRAWN)
    online = dossier_in(province, Status.NEW_ONLINE)
    refused = services.refuse_reception(
        dossier=online, acting_user=province.counter, reason="Không thuộc thẩm quyền", now=at(1)
    )
    for dossier in (returned, withdrawn, refused):
        assert rows(dossier) == {(province.commune.pk, False)}, dossier.status
    assert rows(dossier_in(province, Status.FINISHED)) == {(province.commune.pk, True)}


def test_visibility_follows_the_units_at_any_depth(province):
    d = province.receive(province.inter_agency, now=at(0))
    for officer in (province.counter, province.justice_specialist, province.admin):
        assert d in visible_dossiers(officer)
    assert d not in visible_dossiers(province.other_counter)


def test_the_backfill_writes_what_the_services_write(province):
    made = [dossier_in(province, status) for status in Status if status != Status.DRAFT]
    made.append(province.receive(province.inter_agency, now=at(0)))
    asking = services.start_processing(dossier=made[-1], acting_user=province.counter, now=at(0.5))
    services.consult(  # the consulted unit (the other commune) belongs to the dossier too
        dossier=asking,
        acting_user=province.specialist,
        consulted_units=[province.other_commune],
        content="Xin ý kiến về nơi cư trú",
        working_days=2,
        now=at(1),
    )
    written = set(DossierUnit.objects.values_list("dossier_id", "unit_id", "open"))
    DossierUnit.objects.all().delete()
    assert scope.backfill() == len(written)
    assert set(DossierUnit.objects.values_list("dossier_id", "unit_id", "open")) == written
    assert scope.backfill() == 0  # idempotent: dossiers that have rows are left alone
