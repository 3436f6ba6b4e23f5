"""Once-only: what the system already holds (the e-data store, the population database) is attached at
intake, never asked again, and counted."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.core.errors import ValidationFailed
from motcua.documents import services
from motcua.documents.datastore import NATIONAL_DB_NOTE, REUSED_NOTE
from motcua.documents.models import ComponentFile, DataStoreItem, DataStoreReuse, StoredFile
from motcua.documents.selectors import digitisation_rates, reusable_component_ids
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.states import Status
from motcua.intake.services import receive_at_counter, refuse_at_counter, submit_online
from tests.dossiers.helpers import at, dossier_in

from .once_only import AN, OFFLINE, OnceOnly, scan


def receive(once: OnceOnly, *, without=(), procedure=None, **applicant) -> Dossier:
    p = once.p
    unit = p.center if procedure is not None and procedure.level == "province" else p.commune
    counter = p.center_counter if unit == p.center else p.counter
    return receive_at_counter(
        intake=once.intake(procedure, unit, without=without, **applicant),
        channel=Channel.COUNTER,
        acting_user=counter,
    )


def id_card_of(dossier: Dossier):
    return dossier.components.get(name__startswith="Thẻ căn cước")


def test_the_id_card_comes_from_the_population_database_and_is_never_asked(once):
    first = receive(once, without=[once.id_card])
    second = receive(once, without=[once.id_card])
    for dossier in (first, second):
        component = id_card_of(dossier)
        assert component.provided and component.note == NATIONAL_DB_NOTE
        assert component.reuse.source == DataStoreItem.Source.NATIONAL_DB
    assert DataStoreReuse.objects.count() == 2
    item = DataStoreItem.objects.get(owner_id_number=AN, document_type=once.cccd)
    assert item.source == DataStoreItem.Source.NATIONAL_DB and item.stored_file is None


def test_a_scanned_id_card_is_reused_by_the_next_dossier_when_the_database_is_down(once, settings):
    settings.MOTCUA_POPULATION_CONNECTOR = OFFLINE
    p = once.p
    with pytest.raises(ValidationFailed) as refused:  # nothing holds it yet: the counter must ask for it
        receive(once, without=[once.id_card])
    assert "Thẻ căn cước" in refused.value.field_messages()["components"]

    first = receive(once)  # the applicant brings it; the officer scans it
    stored = services.store_upload(uploaded=scan(), acting_user=p.counter)
    services.attach_files(component=id_card_of(first), files=[stored], acting_user=p.counter)
    item = DataStoreItem.objects.get(owner_id_number=AN, document_type=once.cccd)
    assert (item.source, item.stored_file, item.source_dossier) == (
        DataStoreItem.Source.DIGITISED,
        stored,
        first,
    )

    second = receive(once, without=[once.id_card])  # not asked again
    component = id_card_of(second)
    assert component.provided and component.note == REUSED_NOTE
    link = component.files.get()
    assert (link.kind, link.stored_file) == (ComponentFile.Kind.REUSED, stored)
    assert component.reuse.item == item and component.reuse.source == DataStoreItem.Source.DIGITISED
    assert StoredFile.objects.count() == 1  # the same bytes, linked again
    assert not first.reuses.exists() and second.reuses.count() == 1


def test_a_result_already_issued_is_not_asked_again(once):
    p = once.p
    birth = dossier_in(p, Status.FINISHED)
    result_file = services.issue_electronic_result(dossier=birth, acting_user=p.leader)
    item = DataStoreItem.objects.get(owner_id_number=AN, document_type=once.gks)
    assert item.source == DataStoreItem.Source.RESULT and item.stored_file == result_file
    assert item.issuer_unit == p.commune

    nationality = receive(once, procedure=p.nationality, without=[once.birth_certificate])
    component = nationality.components.get(name="Giấy khai sinh")
    assert component.provided and component.note == REUSED_NOTE
    assert component.files.get().stored_file == result_file
    assert component.reuse.source == DataStoreItem.Source.RESULT


def test_an_expired_document_is_asked_again(once, settings):
    settings.MOTCUA_POPULATION_CONNECTOR = OFFLINE
    once.cccd.validity_days = 30
    once.cccd.save()
    first = receive(once)
    stored = services.store_upload(uploaded=scan(), acting_user=once.p.counter)
    services.attach_files(component=id_card_of(first), files=[stored], acting_user=once.p.counter)
    item = DataStoreItem.objects.get()
    assert item.valid_until == item.valid_from  # issue date unknown: valid only the day it was scanned
    DataStoreItem.objects.update(valid_until=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationFailed):
        receive(once, without=[once.id_card])


def test_someone_typing_another_persons_id_number_gets_nothing(once):
    p = once.p
    dossier = submit_online(
        intake=once.intake(without=[once.id_card]), acting_user=p.other_citizen, now=at(0)
    )
    assert not id_card_of(dossier).provided
    assert not dossier.reuses.exists()
    assert (
        reusable_component_ids(
            procedure=p.birth, applicant_kind="citizen", id_number=AN, acting_user=p.other_citizen
        )
        == set()
    )
    with pytest.raises(Exception, match="chính mình"):
        services.lookup_applicant(kind="citizen", id_number=AN, acting_user=p.other_citizen)


def test_the_applicant_online_reuses_their_own_data(once):
    p = once.p
    dossier = submit_online(intake=once.intake(without=[once.id_card]), acting_user=p.citizen, now=at(0))
    assert id_card_of(dossier).provided and dossier.reuses.count() == 1


def test_a_dossier_refused_at_the_counter_reuses_nothing(once):
    dossier = refuse_at_counter(
        intake=once.intake(without=[once.id_card]),
        channel=Channel.COUNTER,
        acting_user=once.p.counter,
        reason="Sai thẩm quyền",
    )
    assert not dossier.reuses.exists()


def test_rates(once, settings):
    p = once.p
    scanned = receive(once)  # digitised: one scan
    services.attach_files(
        component=scanned.components.get(name="Tờ khai"),
        files=[services.store_upload(uploaded=scan("to-khai"), acting_user=p.counter)],
        acting_user=p.counter,
    )
    receive(once, without=[once.id_card])  # reusing (population database)
    finished = dossier_in(p, Status.FINISHED)  # reusing too (all mandatory given, CCCD also ticked)
    services.issue_electronic_result(dossier=finished, acting_user=p.leader)
    rates = digitisation_rates()
    assert rates.dossiers == 3
    assert rates.digitised_inputs == 1 and rates.digitisation_rate == pytest.approx(33.3)
    assert rates.needing_result == rates.with_e_result == 1 and rates.e_result_rate == 100
    assert rates.reusing == 1 and rates.reused_components == 1
    assert rates.results_in_store == 1
