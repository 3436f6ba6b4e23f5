"""A judicial-record dossier (3.000333) goes to the Ministry of Justice's software over the axis sandbox
(`live_server`), and its record comes back into the dossier as its result: signed, in the applicant's
e-data store. Nothing lost, nothing duplicated, order kept."""

import pytest

from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.documents import signing
from motcua.documents.models import DataStoreItem, ElectronicResult
from motcua.dossiers import services
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.states import Act, Status
from motcua.interop.axis import sandbox
from motcua.interop.ministries.services import may_send, send_to_ministry
from motcua.interop.models import Exchange, MinistryCase
from motcua.outbox import services as outbox
from tests.interop.axis.support import connect, retry_now

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def axis(settings, live_server) -> str:
    connect(settings, live_server.url)
    return live_server.url


@pytest.fixture
def dossier(province, judicial_record):
    return province.processing(judicial_record)  # at the department's appraisal step


def test_the_record_comes_back_into_the_dossier_signed_and_in_the_e_data_store(axis, province, dossier):
    case = send_to_ministry(dossier=dossier, acting_user=province.justice_specialist)

    case.refresh_from_db()
    assert case.state == MinistryCase.State.SENT and case.remote_reference.startswith("LLTP-")
    [sent] = sandbox.received()
    assert sent["service"] == "lltp.tiep_nhan" and sent["key"] == f"lltp:{dossier.code}:gui"
    assert sent["payload"]["maHoSoMCDT"] == dossier.code and sent["payload"]["maTinh"] == "40"
    assert sent["payload"]["toKhai"]["nycHoTen"] == "Nguyễn Văn An"
    assert sent["payload"]["toKhai"]["nycSoGiayTo"] == "040090001234"

    assert sandbox.deliver_callbacks() == 2  # "processing", then the record

    case.refresh_from_db()
    assert case.state == MinistryCase.State.RESULT and case.remote_status == "9"
    assert case.mapped_status == Status.FINISHED and len(case.result_number) == 8
    assert [(u.remote_status, u.mapped_status) for u in case.updates.order_by("pk")] == [("4", 4), ("9", 9)]
    record = case.result_file.file.open("rb").read()
    checked = signing.verify_pdf(record)
    assert checked.valid and checked.certificate_serial == case.certificate_serial
    assert "Sở Tư pháp" in checked.signer

    # The officer's step was handed on with the record's number, through the act itself.
    handed = DossierEvent.objects.get(dossier=dossier, act=Act.COMPLETE_STEP)
    assert handed.actor == province.justice_specialist and case.result_number in handed.reason
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING

    dossier = services.approve(dossier=dossier, acting_user=province.justice_leader)
    dossier = services.issue_result(dossier=dossier, acting_user=province.justice_leader)

    result = ElectronicResult.objects.get(dossier=dossier)
    assert result.stored_file == case.result_file  # the ministry's record, not a generic notice
    assert result.issued_by == province.justice_leader and result.signed_by_unit == province.justice
    [item] = DataStoreItem.objects.filter(owner_id_number="040090001234", source_dossier=dossier)
    assert item.stored_file == case.result_file and item.source == DataStoreItem.Source.RESULT
    assert item.file_name == f"ket-qua-{dossier.code}.pdf"
    assert not outbox.dispatch_pending()  # nothing left behind, nothing failing
    inbound = Exchange.objects.filter(dossier=dossier, direction="in")
    assert [e.outcome for e in inbound.order_by("pk")] == ["received", "received"]


def test_a_record_delivered_twice_is_filed_once(axis, province, dossier):
    sandbox.control(twice=True)
    send_to_ministry(dossier=dossier, acting_user=province.justice_specialist)

    assert sandbox.deliver_callbacks() == 4

    case = MinistryCase.objects.get(dossier=dossier)
    assert case.updates.count() == 2 and case.state == MinistryCase.State.RESULT
    assert DossierEvent.objects.filter(dossier=dossier, act=Act.COMPLETE_STEP).count() == 1
    inbound = Exchange.objects.filter(dossier=dossier, direction="in").order_by("pk")
    assert [e.outcome for e in inbound] == ["received", "duplicate", "received", "duplicate"]
    stored = {case.result_file_id}
    assert len(stored) == 1


def test_the_ministry_unreachable_then_back_loses_nothing(axis, province, dossier):
    sandbox.control(fail=1)
    send_to_ministry(dossier=dossier, acting_user=province.justice_specialist)
    case = MinistryCase.objects.get(dossier=dossier)
    assert case.state == MinistryCase.State.QUEUED and sandbox.received() == []

    retry_now()

    case.refresh_from_db()
    assert case.state == MinistryCase.State.SENT and len(sandbox.received()) == 1
    assert sandbox.deliver_callbacks() == 2
    case.refresh_from_db()
    assert case.state == MinistryCase.State.RESULT


def test_only_the_officer_holding_the_step_sends_and_only_once(axis, province, dossier):
    assert not may_send(dossier=dossier, acting_user=province.center_counter)
    with pytest.raises(PermissionDenied):
        send_to_ministry(dossier=dossier, acting_user=province.center_counter)
    assert may_send(dossier=dossier, acting_user=province.justice_specialist)

    send_to_ministry(dossier=dossier, acting_user=province.justice_specialist)

    assert not may_send(dossier=dossier, acting_user=province.justice_specialist)
    with pytest.raises(ValidationFailed):
        send_to_ministry(dossier=dossier, acting_user=province.justice_specialist)
    assert MinistryCase.objects.count() == 1 and len(sandbox.received()) == 1


def test_a_tampered_delivery_is_refused_and_applies_nothing(axis, province, dossier):
    from motcua.interop import http
    from motcua.interop.axis import signing as axis_signing

    send_to_ministry(dossier=dossier, acting_user=province.justice_specialist)
    body = b'{"maHoSoMCDT": "%s", "trangThaiXuLy": "8", "lyDoTuChoi": "x"}' % dossier.code.encode()
    path = "/lien-thong/truc/nhan/lltp"
    headers = axis_signing.sign("POST", path, body, secret=sandbox.signing_secret())
    tampered = body.replace(b'"8"', b'"3"')

    answer = http.post(f"{axis}{path}", tampered, headers=headers, deadline=5)

    assert answer.status == 403 and "đã bị sửa" in answer.text
    case = MinistryCase.objects.get(dossier=dossier)
    assert case.updates.count() == 0 and case.state == MinistryCase.State.SENT
    assert Exchange.objects.filter(direction="in", outcome="rejected").count() == 1


def test_a_status_arriving_after_the_record_does_not_take_it_back(axis, province, dossier):
    from django.core.cache import cache

    send_to_ministry(dossier=dossier, acting_user=province.justice_specialist)
    processing, record = sandbox.pending_callbacks()
    cache.set(sandbox.CALLBACKS, [record, processing], sandbox.KEEP)  # the record overtakes the status

    assert sandbox.deliver_callbacks() == 2

    case = MinistryCase.objects.get(dossier=dossier)
    assert [u.remote_status for u in case.updates.order_by("pk")] == ["9", "4"]
    assert case.state == MinistryCase.State.RESULT and case.result_file is not None
    assert case.remote_status == "9" and case.mapped_status == Status.FINISHED
    assert DossierEvent.objects.filter(dossier=dossier, act=Act.COMPLETE_STEP).count() == 1
