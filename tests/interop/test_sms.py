import logging

import pytest
from django.core import mail

from motcua.dossiers.states import Status
from motcua.interop import sms
from motcua.interop.models import Notification
from tests.dossiers.helpers import dossier_in


def test_configured_adapter_receives_the_message(settings):
    settings.MOTCUA_SMS_BACKEND = "motcua.interop.sms.MemorySms"
    sms.MemorySms.outbox.clear()
    sms.send("0912345678", "Hồ sơ X: Đã tiếp nhận")
    sms.send("  ", "nobody")
    assert sms.MemorySms.outbox == [("0912345678", "Hồ sơ X: Đã tiếp nhận")]


def test_logging_adapter_masks_the_phone(caplog):
    with caplog.at_level(logging.INFO, logger="motcua.sms"):
        sms.send("0912 345 678", "Hồ sơ X")
    assert "*******678" in caplog.text and "0912" not in caplog.text


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (Status.SUPPLEMENT_REQUESTED, "Tạm dừng tính thời hạn, chờ bổ sung từ 02/03/2026."),
        (
            Status.FINANCIAL_OBLIGATION,
            "Tạm dừng tính thời hạn, chờ thực hiện nghĩa vụ tài chính từ 02/03/2026.",
        ),
    ],
)
def test_a_paused_dossier_is_told_the_clock_stopped_not_the_old_appointment(
    settings, province, django_capture_on_commit_callbacks, status, text
):
    settings.MOTCUA_SMS_BACKEND = "motcua.interop.sms.MemorySms"
    sms.MemorySms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_in(province, status)  # paused on 02/03/2026; the old appointment, 05/03, passed
    phone, message = sms.MemorySms.outbox[-1]
    assert phone == "0912345678"
    assert dossier.code in message and "hen tra" not in message  # the SMS: short, unaccented
    assert Notification.objects.filter(channel="sms").order_by("pk").last().body == message
    email = mail.outbox[-1].body
    assert dossier.code in email and text in email
    assert "Hẹn trả kết quả" not in email and "quá hạn" not in email
    # The reception before it gave the appointment.
    assert "Hẹn trả kết quả" in mail.outbox[0].body and "hen tra" in sms.MemorySms.outbox[0][1]
