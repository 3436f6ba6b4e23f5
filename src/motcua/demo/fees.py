"""The demo procedures' fees, with the submission channel each one is for (see `demo.catalogue`).

A fee's channel is read from its published name ("Lệ phí đăng ký tạm trú – trực tuyến", "… (nộp trực
tiếp)", `catalog.fees.named_channel`); a name naming no channel applies to every channel. Where the name
alone is not enough, the fee is mapped by hand below, keyed on (procedure code, position of the fee in the
source), with the reason.
"""

from typing import Any

from motcua.catalog.fees import named_channel
from motcua.catalog.models import Fee

ALL, ONLINE, COUNTER, POST = Fee.Channel.ALL, Fee.Channel.ONLINE, Fee.Channel.COUNTER, Fee.Channel.POST

# (code, position in the source) → one row per channel: (channel, changes to the published fee: a "name"
# replacing it, a "why" put before its note).
FeeRows = list[tuple[Fee.Channel, dict[str, str]]]
EVERY_CHANNEL: FeeRows = [(ALL, {})]
_POST_BUSINESS_NOTE = (
    "Dữ liệu mẫu thêm dòng này: nguồn chỉ ghi '(nộp trực tiếp)', nhưng TT 47/2019/TT-BTC chỉ miễn lệ phí "
    "khi đăng ký qua mạng điện tử, nên hồ sơ giấy gửi qua bưu chính cũng nộp lệ phí. "
)
FEE_CHANNELS: dict[tuple[str, int], FeeRows] = {
    # The notes below mention the online channel, but the fee does not depend on it:
    # free "for all 3 channels" (birth registration);
    ("1.001193", 1): EVERY_CHANNEL,
    # the 115.000 đ online rate of the note applied from 01/12/2023 to 31/12/2025 only: since then
    # 135.000 đ whatever the channel (driving licences);
    ("3.000347", 1): EVERY_CHANNEL,
    ("3.000348", 1): EVERY_CHANNEL,
    # the online line showing "100 VNĐ" is a display error of the national database (private enterprise).
    ("2.001610", 1): EVERY_CHANNEL,
    # Company registration: the fee named "(nộp trực tiếp)" is due for every paper dossier, so for the post
    # too (only online registration is exempt); the publication fee (position 1) applies to every channel.
    ("2.001583", 2): [
        (COUNTER, {}),
        (POST, {"name": "Lệ phí đăng ký doanh nghiệp (nộp qua bưu chính)", "why": _POST_BUSINESS_NOTE}),
    ],
}


def fee_rows(code: str, fees: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Fee rows (name, channel, amount, note) of one procedure, in the order of the source."""
    rows: list[dict[str, Any]] = []
    for position, fee in enumerate(fees, start=1):
        published = {
            "name": fee["name_vi"],
            "amount_vnd": fee.get("amount_vnd"),
            "note": fee.get("note") or "",
        }
        by_hand = FEE_CHANNELS.get((code, position))
        if by_hand is None:
            by_hand = [(named_channel(published["name"]) or ALL, {})]
        for channel, changes in by_hand:
            name = changes.get("name", published["name"])
            note = changes.get("why", "") + published["note"]
            rows.append(published | {"name": name, "note": note, "channel": channel})
    return rows
