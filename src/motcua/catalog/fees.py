"""Which submission channel a fee is for: read from its published wording, and checked in the admin.

Published fee tables name the channel in the fee's name ("Lệ phí đăng ký tạm trú – trực tuyến", "… (nộp
trực tiếp)"). A fee so named but configured for another channel is the mistake that billed online
applicants the counter fee too, so the admin refuses it.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Fee, Procedure
from motcua.core.text import fold

# Wordings (folded: lower case, no diacritics) → the channel they name.
WORDINGS: dict[str, Fee.Channel] = {
    "truc tuyen": Fee.Channel.ONLINE,
    "truc tiep": Fee.Channel.COUNTER,
    "buu chinh": Fee.Channel.POST,
}


def named_channel(text: str) -> Fee.Channel | None:
    """The one channel that `text` names, or None when it names none (or several)."""
    folded = fold(text)
    named = {channel for wording, channel in WORDINGS.items() if wording in folded}
    return named.pop() if len(named) == 1 else None


def check_fee_channel(*, name: str, channel: str, procedure: Procedure | None) -> None:
    """Refuse a channel contradicting the fee's name, or an online fee of a procedure not offered online."""
    named = named_channel(name)
    if named is not None and named != channel:
        raise ValidationError(
            _(
                "Tên khoản phí ghi hình thức nộp “%(named)s” nhưng khoản phí được áp dụng cho “%(chosen)s”. "
                "Hãy chọn hình thức nộp “%(named)s”, hoặc sửa tên nếu khoản phí áp dụng cho hình thức khác."
            ),
            code="channel_mismatch",
            params={"named": named.label, "chosen": Fee.Channel(channel).label},
        )
    if (
        channel == Fee.Channel.ONLINE
        and procedure is not None
        and procedure.online_level == Procedure.OnlineLevel.NONE
    ):
        raise ValidationError(
            _(
                "Thủ tục này không tiếp nhận hồ sơ trực tuyến (mức độ “%(level)s”): "
                "không thể đặt khoản phí chỉ áp dụng cho hồ sơ nộp trực tuyến."
            ),
            code="online_not_offered",
            params={"level": Procedure.OnlineLevel(procedure.online_level).label},
        )
