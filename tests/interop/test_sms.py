import logging

from motcua.interop import sms


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
