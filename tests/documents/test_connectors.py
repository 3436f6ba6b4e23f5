"""National database connectors: look-up and pre-fill; a connector that is down never blocks reception and
the look-up is retried through the outbox."""

from datetime import date

from motcua.documents import services
from motcua.documents.datastore import NATIONAL_DB_NOTE, RETRY_LOOKUP
from motcua.documents.models import DataStoreItem
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Channel
from motcua.intake.services import receive_at_counter, submit_online
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import dispatch_pending
from tests.dossiers.helpers import at

from .once_only import AN, OFFLINE, OnceOnly


def test_lookup_of_a_person_and_a_business(once):
    counter = once.p.counter
    person = services.lookup_applicant(kind="citizen", id_number=AN, acting_user=counter)
    assert person.available and person.found
    assert person.person.full_name == "Nguyễn Văn An" and person.person.birth_date == date(1990, 5, 12)
    business = services.lookup_applicant(kind="business", id_number="2901234567", acting_user=counter)
    assert business.business.legal_representative == "Nguyễn Văn An"
    unknown = services.lookup_applicant(kind="citizen", id_number="040000000000", acting_user=counter)
    assert unknown.available and not unknown.found


def test_prefill_fills_what_is_empty_and_keeps_what_was_typed(once):
    blank = dossiers.Applicant(kind="citizen", name="", id_number=AN, phone="0912345678")
    filled, lookup = services.prefill_applicant(applicant=blank, acting_user=once.p.counter)
    assert lookup.available
    assert filled.name == "Nguyễn Văn An" and filled.address == "Phường Thành Vinh, tỉnh Nghệ An"
    assert filled.phone == "0912345678"
    typed = dossiers.Applicant(kind="citizen", name="Nguyễn Văn An", id_number=AN, address="Số 5 Lê Lợi")
    kept, _lookup = services.prefill_applicant(applicant=typed, acting_user=once.p.counter)
    assert kept.address == "Số 5 Lê Lợi"
    business = dossiers.Applicant(kind="business", name="", id_number="2901234567")
    filled, _lookup = services.prefill_applicant(applicant=business, acting_user=once.p.counter)
    assert filled.name == "Công ty TNHH Thương mại Sen Vàng Nghệ An"


def test_a_down_connector_degrades_to_manual_entry_and_queues_a_retry(once: OnceOnly, settings):
    settings.MOTCUA_POPULATION_CONNECTOR = OFFLINE
    p = once.p
    typed = dossiers.Applicant(kind="citizen", name="Nguyễn Văn An", id_number=AN)
    same, lookup = services.prefill_applicant(applicant=typed, acting_user=p.counter)
    assert not lookup.available and same == typed
    assert OutboxMessage.objects.filter(topic=RETRY_LOOKUP, payload__id_number=AN).count() == 1

    # Reception goes on: the officer saw the ID card and ticks it by hand.
    dossier = receive_at_counter(intake=once.intake(), channel=Channel.COUNTER, acting_user=p.counter)
    assert dossier.status == 2
    retry = OutboxMessage.objects.filter(topic=RETRY_LOOKUP, payload__dossier_id=dossier.pk).get()
    assert retry.dispatched_at is None
    assert not dossier.reuses.exists()


def test_the_retry_gives_the_dossier_what_the_database_provides_once_it_is_back(once, settings):
    settings.MOTCUA_POPULATION_CONNECTOR = OFFLINE
    p = once.p
    dossier = submit_online(intake=once.intake(without=[once.id_card]), acting_user=p.citizen, now=at(0))
    component = dossier.components.get(procedure_component=once.id_card)
    assert not component.provided
    dispatch_pending()  # still down: kept for later, with the error
    message = OutboxMessage.objects.get(topic=RETRY_LOOKUP, payload__dossier_id=dossier.pk)
    assert message.dispatched_at is None
    assert message.attempts == 1 and "offline" in message.last_error

    settings.MOTCUA_POPULATION_CONNECTOR = "motcua.documents.connectors.ReferencePopulationConnector"
    OutboxMessage.objects.filter(pk=message.pk).update(available_at=message.created_at)
    dispatch_pending()
    message.refresh_from_db()
    assert message.dispatched_at is not None
    component.refresh_from_db()
    assert component.provided and component.note == NATIONAL_DB_NOTE
    assert dossier.reuses.get().source == DataStoreItem.Source.NATIONAL_DB
