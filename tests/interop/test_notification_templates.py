"""Each act the applicant is told about has its own short text: the SMS names the dossier code, what happened
and what to do, with the tracking link, unaccented within one GSM-7 segment, and never the officer's own
words; only reception and rescheduling give the appointment. The email carries the reason in full."""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core import mail
from django.utils.formats import date_format
from django.utils.timezone import localtime

from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier
from motcua.interop import notifications, sms
from motcua.interop.models import Notification
from motcua.outbox import services as outbox
from tests.dossiers.helpers import at
from tests.factories import Province, local

# A real code is `<agency code>-<YYMMDD>-<NNNN>`: 25 characters. A long provincial portal address, 40.
PUBLIC = "https://motcua.dichvucong.angiang.gov.vn"
REASON = "Bản sao giấy chứng sinh bị mờ, không đọc được số; đề nghị nộp bản chính"
MISSING = ["Giấy chứng sinh (bản chính)"]
DATE = re.compile(r"\d{2}/\d{2}/\d{4}")


def _online(p: Province) -> Dossier:
    return services.submit_online(intake=p.intake(), acting_user=p.citizen, now=at(0))


def _supplement_requested(p: Province) -> Dossier:
    d = p.processing(now=at(0))
    return services.request_supplement(
        dossier=d, acting_user=p.specialist, missing=MISSING, reason=REASON, now=at(1)
    )


def _finished(p: Province) -> Dossier:
    d = p.processing(now=at(0))
    d = services.complete_step(dossier=d, acting_user=p.specialist, now=at(1))
    d = services.approve(dossier=d, acting_user=p.leader, now=at(2))
    return services.issue_result(dossier=d, acting_user=p.leader, note=REASON, now=at(3))


@dataclass(frozen=True)
class Case:
    act: str
    run: Callable[[Province], Dossier]
    says: str  # what the act's SMS says happened (unaccented)
    appointment: bool  # the SMS gives the appointment
    reason: bool = True  # the officer wrote a reason or note, which the email carries
    missing: bool = False


CASES = [
    Case("submit_online", _online, "da nop truc tuyen", appointment=False, reason=False),
    Case("receive", lambda p: p.receive(now=at(0)), "da duoc tiep nhan", appointment=True, reason=False),
    Case(
        "refuse_at_counter",
        lambda p: services.refuse_at_counter(
            intake=p.intake(), channel=Channel.COUNTER, acting_user=p.counter, reason=REASON, now=at(0)
        ),
        "khong duoc tiep nhan",
        appointment=False,
    ),
    Case(
        "accept",
        lambda p: services.accept(dossier=_online(p), acting_user=p.counter, now=at(1)),
        "da duoc tiep nhan",
        appointment=True,
        reason=False,
    ),
    Case(
        "refuse_reception",
        lambda p: services.refuse_reception(
            dossier=_online(p), acting_user=p.counter, reason=REASON, now=at(1)
        ),
        "khong duoc tiep nhan",
        appointment=False,
    ),
    Case(
        "ask_to_complete",
        lambda p: services.ask_to_complete(
            dossier=_online(p), acting_user=p.counter, missing=MISSING, reason=REASON, now=at(1)
        ),
        "chua day du, xin bo sung",
        appointment=False,
        missing=True,
    ),
    Case(
        "request_supplement",
        _supplement_requested,
        "can bo sung giay to",
        appointment=False,
        missing=True,
    ),
    Case(
        "complete_supplement",
        lambda p: services.complete_supplement(
            dossier=_supplement_requested(p), acting_user=p.counter, note=REASON, now=at(2)
        ),
        "da nhan du bo sung",
        appointment=False,
    ),
    Case(
        "request_financial_obligation",
        lambda p: services.request_financial_obligation(
            dossier=p.processing(now=at(0)), acting_user=p.specialist, reason=REASON, now=at(1)
        ),
        "nghia vu tai chinh",
        appointment=False,
    ),
    Case(
        "reschedule",
        lambda p: services.reschedule(
            dossier=p.processing(now=at(0)),
            acting_user=p.leader,
            new_appointment_at=local(2026, 3, 10, 9),
            reason=REASON,
            now=local(2026, 3, 4, 16, 30),
        ),
        "cham, xin loi ong/ba. Hen lai",
        appointment=True,
    ),
    Case("issue_result", _finished, "da co ket qua", appointment=False),
    Case(
        "refuse",
        lambda p: services.refuse(
            dossier=p.processing(now=at(0)), acting_user=p.leader, reason=REASON, now=at(1)
        ),
        "bi tu choi giai quyet",
        appointment=False,
    ),
    Case(
        "withdraw",
        lambda p: services.withdraw(
            dossier=p.receive(now=at(0)), acting_user=p.counter, reason=REASON, now=at(1)
        ),
        "da duoc rut",
        appointment=False,
    ),
    Case(
        "return_result",
        lambda p: services.return_result(dossier=_finished(p), acting_user=p.counter, note=REASON, now=at(4)),
        "da duoc tra ket qua",
        appointment=False,
    ),
]


def _drain() -> None:
    for _round in range(10):
        if not outbox.dispatch_pending():
            return


@pytest.fixture
def sent(settings):
    settings.MOTCUA_SMS_BACKEND = "motcua.interop.sms.MemorySms"
    settings.MOTCUA_PUBLIC_URL = PUBLIC + "/"
    sms.MemorySms.outbox.clear()
    yield sms.MemorySms.outbox
    sms.MemorySms.outbox.clear()


@pytest.mark.parametrize("case", CASES, ids=[c.act for c in CASES])
def test_each_notified_act_sends_its_own_short_sms_and_the_reason_by_email(province, sent, case):
    dossier = case.run(province)
    _drain()
    sms_row = Notification.objects.get(channel="sms", outbox_message__payload__act=case.act)
    text = sms_row.body
    assert ("0912345678", text) in sent

    code = dossier.code
    assert len(code) == 25 and len(PUBLIC) == 40
    tracking = f"{PUBLIC}/tra-cuu/?ma={code}"
    assert text.startswith(f"Ho so {code} ") and text.endswith(f". {tracking}")
    assert case.says in text
    assert text.isascii() and sms.gsm7_length(text) is not None and sms.gsm7_length(text) <= sms.SEGMENT
    assert sms.segments(text) == 1
    for officer_text in [REASON, *MISSING]:  # neither accented nor unaccented
        assert officer_text not in text and sms.unaccented(officer_text) not in text
        assert sms.unaccented(officer_text)[:20] not in text

    appointment = localtime(dossier.appointment_at) if dossier.appointment_at else None
    if case.appointment:
        assert appointment is not None
        assert date_format(appointment, "d/m/Y H:i") in text
    else:
        assert not DATE.search(text) and "hen tra" not in text.lower()

    email = Notification.objects.get(channel="email", outbox_message=sms_row.outbox_message)
    message = next(m for m in mail.outbox if m.body == email.body)
    assert message.to == ["an@example.vn"] and code in message.subject
    assert tracking in message.body and "Hồ sơ" in message.body  # the full Vietnamese text
    assert (REASON in message.body) is case.reason
    assert all(item in message.body for item in MISSING) is case.missing
    if not case.appointment:
        assert "Hẹn trả kết quả" not in message.body
        if appointment is not None and case.act == "issue_result":  # ready before the day: say so (#17)
            assert f"trước ngày hẹn trả ({date_format(appointment, 'd/m/Y')})" in message.body
        elif appointment is not None:
            assert date_format(appointment, "d/m/Y") not in message.body
    else:
        assert f"Hẹn trả kết quả: {date_format(appointment, 'd/m/Y H:i')}." in message.body


def test_every_act_that_is_notified_has_a_template():
    from motcua.interop.handlers import NOTIFIED_ACTS

    assert {act.value for act in NOTIFIED_ACTS} == set(notifications.TEMPLATES) == {c.act for c in CASES}


@pytest.mark.parametrize("account", [False, True])
@pytest.mark.parametrize("act", sorted(notifications.TEMPLATES))
def test_every_sms_template_fits_one_segment_with_a_long_address(settings, act, account):
    settings.MOTCUA_PUBLIC_URL = PUBLIC
    code = "001.00.50.H40-260302-0001"
    payload = {
        "act": act,
        "code": code,
        "status": 9 if account else 4,  # with an account, once the result exists: the e-result link
        "status_label": "Mới đăng ký trực tuyến, chờ tiếp nhận",  # the longest status label
        "applicant_account": account,
        "appointment": "05/03/2026 16:00",
        "reason": REASON * 3,
    }
    text = notifications.sms_text(payload)
    assert code in text and PUBLIC in text and "Ly do" not in text and "Ban sao" not in text
    assert sms.gsm7_length(text) <= sms.SEGMENT, (len(text), text)
    expected = f"{PUBLIC}/ho-so-cua-toi/{code}/" if account else f"{PUBLIC}/tra-cuu/?ma={code}"
    assert text.endswith(expected)


def test_an_older_message_without_its_act_still_goes_out_with_its_status():
    payload = {"code": "X-1", "status": 4, "status_label": "Đang xử lý", "text": "Hồ sơ X-1 – Khai sinh"}
    assert notifications.sms_text(payload).startswith("Ho so X-1: Dang xu ly. http")
    assert notifications.notification_text(payload) == "Hồ sơ X-1 – Khai sinh"


def test_unaccented_keeps_the_case_and_the_gsm_alphabet():
    assert sms.unaccented("Hồ sơ ĐÃ được  tiếp nhận – hẹn “trả”…") == 'Ho so DA duoc tiep nhan - hen "tra"...'
    assert sms.unaccented("Ưu tiên ơn €5 ☺") == "Uu tien on €5 ?"
    assert sms.gsm7_length("a{€") == 5 and sms.gsm7_length("ạ") is None
    assert [sms.segments(t) for t in ("a" * 160, "a" * 161, "a" * 306, "a" * 307, "ạ" * 70, "ạ" * 71)] == [
        1,
        2,
        2,
        3,
        1,
        2,
    ]
