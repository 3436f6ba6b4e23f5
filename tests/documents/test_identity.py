"""The e-data store belongs to a verified identity (docs/domain.md "Once-only and the e-data store"): a number
typed at registration is only declared and gives nothing; a counter officer, the population database or VNeID
verifies it; one identity has one account."""

from datetime import date

import pytest
from django.contrib.admin.models import LogEntry
from django.db import IntegrityError, transaction

from motcua.core import identity
from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.core.models import User
from motcua.documents import services
from motcua.documents.connectors import DEFAULT_POPULATION_CONNECTOR
from motcua.documents.datastore import retry_lookup
from motcua.documents.models import ComponentFile, DataStoreItem
from motcua.documents.selectors import (
    data_store_items,
    dossier_files,
    electronic_result_of,
    reusable_component_ids,
    store_files_withheld,
)
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.states import Status
from motcua.intake.services import receive_at_counter, submit_online
from motcua.outbox.models import OutboxMessage
from motcua.portal import accounts
from tests.api.conftest import DOSSIERS, client_for, create, create_body
from tests.dossiers.helpers import at

from .once_only import AN, OFFLINE, OnceOnly, an_has_a_store, counter_only, scan

AN_BORN = date(1990, 5, 12)


def stranger_registers(settings, name: str = "Lê Văn Mạo") -> User:
    """Someone registers with Mr An's number while the population database cannot say otherwise."""
    settings.MOTCUA_POPULATION_CONNECTOR = OFFLINE
    user = accounts.register(
        kind="citizen",
        id_number=AN,
        full_name=name,
        phone="0988000111",
        email="mao@example.vn",
        password="khó-đoán-2026",
        birth_date=date(1985, 1, 1),
    )
    settings.MOTCUA_POPULATION_CONNECTOR = DEFAULT_POPULATION_CONNECTOR
    return user


def nationality_online(once: OnceOnly, user: User) -> Dossier:
    """Nationality confirmation online, without the birth certificate the store holds as an e-result."""
    p = once.p
    return submit_online(
        intake=once.intake(p.nationality, p.center, without=[once.birth_certificate]),
        acting_user=user,
        now=at(0),
    )


def test_a_stranger_registering_with_a_citizens_number_gets_nothing_from_the_store(once, settings):
    counter_only(once)
    scanned, result = an_has_a_store(once)
    stranger = stranger_registers(settings)
    assert stranger.citizen_id == AN and stranger.identity_verified_at is None  # declared only

    dossier = nationality_online(once, stranger)
    component = dossier.components.get(name="Giấy khai sinh")
    assert not component.provided and not component.files.exists() and not dossier.reuses.exists()
    assert not ComponentFile.objects.filter(dossier_component__dossier=dossier, kind="reused").exists()
    assert (
        reusable_component_ids(
            procedure=once.p.nationality, applicant_kind="citizen", id_number=AN, acting_user=stranger
        )
        == set()
    )
    assert not data_store_items(id_number=AN, acting_user=stranger).exists()
    with pytest.raises(PermissionDenied, match="xác thực danh tính"):
        services.lookup_applicant(kind="citizen", id_number=AN, acting_user=stranger)
    # A birth certificate the stranger uploads under that number does not open the store either...
    upload = services.store_upload(uploaded=scan("gks-gia"), acting_user=stranger)
    services.attach_files(component=component, files=[upload], acting_user=stranger, kind="upload")
    assert not data_store_items(id_number=AN, acting_user=stranger).exists()
    # ...nor goes into Mr An's store, where his later dossiers would reuse it as his.
    assert not DataStoreItem.objects.filter(stored_file=upload).exists()
    assert scanned.stored_file and result.stored_file  # what he would have got


def test_a_declared_account_cannot_download_reused_documents_or_the_e_result(once, settings):
    counter_only(once)
    an_has_a_store(once)
    stranger = stranger_registers(settings)
    # Mr An's dossier with his e-result, linked to the stranger's account (as "my dossiers" would list it).
    finished = Dossier.objects.get(status=Status.FINISHED)
    finished.applicant_user = stranger
    finished.save(update_fields=["applicant_user"])
    assert electronic_result_of(dossier=finished, acting_user=once.p.leader) is not None
    assert electronic_result_of(dossier=finished, acting_user=stranger) is None
    # A paper dossier received for him reuses his e-result at the counter (the officer saw the card)...
    paper = receive_at_counter(
        intake=once.intake(once.p.nationality, once.p.center, without=[once.birth_certificate]),
        channel=Channel.COUNTER,
        acting_user=once.p.center_counter,
    )
    assert paper.reuses.count() == 1
    paper.applicant_user = stranger
    paper.save(update_fields=["applicant_user"])
    # ...but an account that only declared the number is not given the reused file.
    assert dossier_files(dossier=paper, acting_user=once.p.center_counter).filter(kind="reused").exists()
    assert not dossier_files(dossier=paper, acting_user=stranger).filter(kind="reused").exists()
    assert store_files_withheld(dossier=paper, acting_user=stranger)
    assert not store_files_withheld(dossier=paper, acting_user=once.p.center_counter)


def test_the_api_gives_a_declared_account_nothing(once, settings):
    counter_only(once)
    an_has_a_store(once)
    stranger = stranger_registers(settings)
    body = create_body(once.p, procedure=once.p.nationality, channel="online", unit=once.p.center)
    body["components"] = [
        pk for pk in body["components"] if pk != once.birth_certificate.pk
    ]  # the birth certificate is left to the store
    response = create(client_for(stranger), body)
    assert response.status_code == 201, response.json()
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert not dossier.reuses.exists()
    assert client_for(stranger).get(f"{DOSSIERS}{dossier.code}/").status_code == 200


def test_after_verification_at_the_counter_the_online_dossier_reuses(once, settings):
    counter_only(once)
    an_has_a_store(once)
    an = stranger_registers(settings)  # this time it is Mr An himself, database down: declared only
    assert not nationality_online(once, an).reuses.exists()

    with pytest.raises(PermissionDenied):
        identity.verify_at_counter(user=an, acting_user=once.p.specialist, card_number=AN)
    with pytest.raises(ValidationFailed, match="không khớp"):
        identity.verify_at_counter(user=an, acting_user=once.p.center_counter, card_number="040090009999")
    an.refresh_from_db()
    assert an.identity_verified_at is None

    identity.verify_at_counter(user=an, acting_user=once.p.center_counter, card_number=AN)
    an.refresh_from_db()
    assert (an.identity_method, an.identity_verified_by) == ("counter", once.p.center_counter)
    assert an.identity_verified_at is not None
    entry = LogEntry.objects.get(object_id=str(an.pk))
    assert entry.user == once.p.center_counter and "Xác thực danh tính" in entry.change_message

    dossier = nationality_online(once, an)
    component = dossier.components.get(name="Giấy khai sinh")
    assert component.provided and dossier.reuses.count() == 1
    reused = dossier_files(dossier=dossier, acting_user=an).get(kind="reused")
    assert reused.stored_file == DataStoreItem.objects.get(source=DataStoreItem.Source.RESULT).stored_file


def test_population_database_verification_needs_number_name_and_date_of_birth(once, settings):
    counter_only(once)
    an = stranger_registers(settings)  # Mr An, registered while the database was down
    User.objects.filter(pk=an.pk).update(first_name="An", last_name="Nguyễn Văn")
    an.refresh_from_db()
    with pytest.raises(ValidationFailed) as refused:
        services.verify_identity_with_population_db(user=an, birth_date=date(1990, 5, 13))
    assert "không xác nhận" in str(refused.value.message)
    an.refresh_from_db()
    assert (an.identity_verified_at, an.identity_method, an.birth_date) == (None, "", date(1985, 1, 1))
    assert not LogEntry.objects.filter(object_id=str(an.pk)).exists()

    services.verify_identity_with_population_db(user=an, birth_date=AN_BORN)
    an.refresh_from_db()
    assert (an.identity_method, an.identity_verified_by, an.birth_date) == ("population_db", None, AN_BORN)


def test_population_database_verification_cannot_be_guessed(once, settings):
    counter_only(once)
    an = stranger_registers(settings, name="Nguyễn Văn An")
    for day in range(1, 6):
        with pytest.raises(ValidationFailed, match="không xác nhận"):
            services.verify_identity_with_population_db(user=an, birth_date=date(1990, 1, day))
    with pytest.raises(ValidationFailed, match="quá nhiều lần"):
        services.verify_identity_with_population_db(user=an, birth_date=AN_BORN)
    an.refresh_from_db()
    assert an.identity_verified_at is None


def test_one_identity_one_account(once):
    p = once.p  # p.citizen is verified for AN
    User.objects.filter(pk=p.other_citizen.pk).update(citizen_id=AN)  # declared by someone else too
    p.other_citizen.refresh_from_db()
    assert (
        reusable_component_ids(
            procedure=p.birth, applicant_kind="citizen", id_number=AN, acting_user=p.other_citizen
        )
        == set()
    )
    with pytest.raises(ValidationFailed, match="tài khoản khác"):
        identity.verify_at_counter(user=p.other_citizen, acting_user=p.counter, card_number=AN)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=p.other_citizen.pk).update(identity_verified_at=p.citizen.identity_verified_at)


def test_an_online_dossier_of_a_declared_account_is_not_given_the_database_later(once):
    p = once.p
    User.objects.filter(pk=p.other_citizen.pk).update(citizen_id=AN)
    p.other_citizen.refresh_from_db()
    dossier = submit_online(intake=once.intake(without=[once.id_card]), acting_user=p.other_citizen)
    retry_lookup(OutboxMessage(payload={"kind": "citizen", "id_number": AN, "dossier_id": dossier.pk}))
    assert not dossier.reuses.exists() and not dossier.components.get(name__startswith="Thẻ").provided
