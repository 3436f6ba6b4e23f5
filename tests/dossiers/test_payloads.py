"""What each act records beyond its status: one typed payload per act, stored as the event's JSON and read
back typed by every reader (dossiers.payloads)."""

from datetime import UTC, datetime

import pytest

from motcua.dossiers import payloads, services
from motcua.dossiers.lifecycle import apply_act
from motcua.dossiers.models import Dossier
from motcua.dossiers.payloads import (
    PAYLOAD_OF,
    CompletionAsked,
    ConsultationAnswered,
    ConsultationAsked,
    HandedOver,
    PaymentRecorded,
    Rescheduled,
    StepAssigned,
    SupplementCompleted,
    SupplementItem,
    SupplementRequested,
    SuppliedRecord,
)
from motcua.dossiers.states import Act, Status
from tests.factories import local

EXAMPLES: list[payloads.Payload] = [
    CompletionAsked(("Giấy chứng sinh", "Tờ khai")),
    SupplementRequested(
        (SupplementItem("Giấy chứng sinh", 17), SupplementItem("Văn bản ủy quyền")),
        repeated=True,
        within_legal_window=False,
    ),
    SupplementCompleted((SuppliedRecord(SupplementItem("Giấy chứng sinh", 17), 41, 2, "bản rõ hơn"),)),
    PaymentRecorded("FT2603021234", 50_000, "vnpay"),
    StepAssigned("chuyenvien.xa"),
    Rescheduled(datetime(2026, 3, 10, 2, 0, tzinfo=UTC)),
    HandedOver(31, (32, 33)),
    ConsultationAsked(7, "Sở Tư pháp", datetime(2026, 3, 9, 10, 0, tzinfo=UTC)),
    ConsultationAnswered(7, late=True),
]


def test_every_act_that_carries_data_has_an_example_here():
    assert {type(p) for p in EXAMPLES} == set(PAYLOAD_OF.values())


@pytest.mark.parametrize("payload", EXAMPLES, ids=lambda p: type(p).__name__)
def test_a_payload_reads_back_as_it_was_written(payload):
    assert type(payload).from_data(payload.to_data()) == payload


def test_the_stored_json_is_the_api_contract():
    """The API's `data` field shows these keys; readers in other systems depend on them."""
    request = EXAMPLES[1]
    assert request.to_data() == {
        "missing": ["Giấy chứng sinh", "Văn bản ủy quyền"],
        "items": [
            {"name": "Giấy chứng sinh", "component": 17},
            {"name": "Văn bản ủy quyền", "component": None},
        ],
        "repeated": True,
        "within_legal_window": False,
    }
    assert Rescheduled(datetime(2026, 3, 10, 2, 0, tzinfo=UTC)).to_data() == {
        "new_appointment_at": "2026-03-10T02:00:00+00:00"
    }
    assert EXAMPLES[-2].to_data() == {
        "consultation": 7,
        "consulted_unit": "Sở Tư pháp",
        "due_at": "2026-03-09T10:00:00+00:00",
    }
    assert EXAMPLES[-1].to_data() == {"consultation": 7, "late": True}


def test_an_act_recorded_with_another_acts_payload_is_refused_and_nothing_changes(province):
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    before = (d.status, d.version, d.events.count())
    with pytest.raises(TypeError):
        apply_act(
            dossier=d,
            acting_user=p.specialist,
            act=Act.REQUEST_SUPPLEMENT,
            now=local(2026, 3, 2, 10),
            reason="Thiếu giấy tờ",
            payload=CompletionAsked(("Giấy chứng sinh",)),
        )
    with pytest.raises(TypeError):
        apply_act(dossier=d, acting_user=p.leader, act=Act.RESCHEDULE, now=local(2026, 3, 2, 10), reason="x")
    d.refresh_from_db()
    assert (d.status, d.version, d.events.count()) == before


def test_the_services_record_their_payloads(province):
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    d = services.reschedule(
        dossier=d,
        acting_user=p.leader,
        new_appointment_at=local(2026, 3, 10, 9),
        reason="Cần xác minh thêm thông tin với công an xã",
        now=local(2026, 3, 4, 16, 30),
    )
    d = services.request_supplement(
        dossier=d,
        acting_user=p.specialist,
        missing=["Tờ khai", "Xác nhận của trưởng thôn"],
        reason="Giấy chứng sinh bị mờ",
        now=local(2026, 3, 4, 17),
    )
    events = {e.act: e for e in d.events.all()}
    rescheduled = payloads.payload_of(events[Act.RESCHEDULE.value])
    assert rescheduled == Rescheduled(local(2026, 3, 10, 9))
    request = payloads.expect(events[Act.REQUEST_SUPPLEMENT.value], SupplementRequested)
    birth_certificate = p.birth.components.get(name="Tờ khai").pk
    assert request.items == (
        SupplementItem("Tờ khai", birth_certificate),
        SupplementItem("Xác nhận của trưởng thôn"),
    )
    assert request.repeated is False and request.names_only is False
    # received Mon 02/03 09:00, asked Wed 04/03 17:00: 2 working days, within the 3-day window
    assert request.within_legal_window is True
    assert payloads.missing_items(events[Act.REQUEST_SUPPLEMENT.value]) == (
        "Tờ khai",
        "Xác nhận của trưởng thôn",
    )
    assert payloads.payload_of(events[Act.RECEIVE.value]) is None
    assert payloads.missing_items(events[Act.RECEIVE.value]) == ()


def test_a_request_stored_with_names_only_is_resolved_against_the_procedure(province):
    """Events written before items were kept apart (and the synthetic history) hold only the names."""
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    d = services.request_supplement(
        dossier=d,
        acting_user=p.specialist,
        missing=["Tờ khai"],
        reason="Giấy chứng sinh bị mờ",
        now=local(2026, 3, 3, 9),
    )
    old_shape = {"missing": ["Tờ khai", "Xác nhận của trưởng thôn"]}
    d.events.filter(act=Act.REQUEST_SUPPLEMENT.value).update(data=old_shape)  # as written before #14
    event = d.events.get(act=Act.REQUEST_SUPPLEMENT.value)
    read = payloads.expect(event, SupplementRequested)
    assert read.names_only and read.items == (
        SupplementItem("Tờ khai"),
        SupplementItem("Xác nhận của trưởng thôn"),
    )
    d = Dossier.objects.get(pk=d.pk)
    assert d.status == Status.SUPPLEMENT_REQUESTED
    birth_certificate = p.birth.components.get(name="Tờ khai").pk
    assert services.open_supplement_items(d) == [
        SupplementItem("Tờ khai", birth_certificate),
        SupplementItem("Xác nhận của trưởng thôn"),
    ]
