"""Time limits as the catalogue publishes them: "15 ngày làm việc", "Không quá 20 ngày", "1", "Trong ngày".

`parse_time_limit` reads the published wording into an amount and one of the catalogue's units
(`core.calendar.TimeUnit`; docs/domain.md, Time: "Ngày" alone is calendar days, "ngày làm việc" working days,
a working day is 8 working hours). It never guesses silently: whatever it cannot read for sure (no unit,
several limits, a range, months, bare "giờ", a same-day promise, words it does not know) comes back with
`needs_review` and a reason in Vietnamese for the officer who publishes the catalogue. Where one reading is
the usual one (a bare number read as working days, "giờ" as working hours) it is given, flagged; where none
is (several limits, a range, "trong ngày") the amount is None. `published_text` writes a limit back in the
national database's wording ("15 Ngày làm việc"), which the parser reads to the same amount and unit.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from motcua.core.calendar import TimeUnit

# Vietnamese number words a limit may be written in ("năm ngày", "mười lăm ngày"); longest first.
NUMBER_WORDS: dict[str, Decimal] = {
    "mười lăm": Decimal(15),
    "hai mươi": Decimal(20),
    "ba mươi": Decimal(30),
    "một": Decimal(1),
    "hai": Decimal(2),
    "ba": Decimal(3),
    "bốn": Decimal(4),
    "năm": Decimal(5),
    "sáu": Decimal(6),
    "bảy": Decimal(7),
    "tám": Decimal(8),
    "chín": Decimal(9),
    "mười": Decimal(10),
    "nửa": Decimal("0.5"),
}
FRACTIONS: dict[str, Decimal] = {"½": Decimal("0.5"), "¼": Decimal("0.25"), "¾": Decimal("0.75")}

_NUMBER = r"\d+(?:[.,]\d+)?(?:\s*/\s*\d+)?|[½¼¾]|" + "|".join(
    re.escape(word) for word in sorted(NUMBER_WORDS, key=len, reverse=True)
)
# Units as written; the ones outside TimeUnit (tuần, năm, phút) are read only to be reported.
_UNIT = r"ngày\s+làm\s+việc|giờ\s+làm\s+việc|ngày|giờ|tháng|tuần|năm|phút"
QUANTITY = re.compile(rf"(?<![\w/.,])(?P<number>{_NUMBER})\s*(?P<unit>{_UNIT})(?!\w)", re.IGNORECASE)
RANGE = re.compile(
    rf"(?<![\w/.,])(?:từ\s+)?(?:{_NUMBER})\s*(?:[-–—]|đến)\s*(?:{_NUMBER})(?![\w/])", re.IGNORECASE
)
OTHER_NUMBER = re.compile(r"(?<![\w/.,])\d+(?:[.,]\d+)?(?![\w/])")
BARE_NUMBER = re.compile(r"^(\d+(?:[.,]\d+)?)$")
SAME_DAY = re.compile(r"(?<!\w)(?:ngay\s+)?trong\s+(?:ngày|buổi)(?!\s+kể)", re.IGNORECASE)
NOTHING = re.compile(
    r"^(không có thông tin|không quy định|chưa quy định|chưa có thông tin|không)?[.\s]*$", re.I
)
# What may stand before the limit without changing it: it is a maximum ("không quá", "chậm nhất").
LEAD_WORDS = re.compile(
    r"^(?:thời\s+hạn(?:\s+giải\s+quyết)?\s*:?\s*)?"
    r"(?:(?:trong\s+thời\s+hạn|trong\s+vòng|trong|không\s+quá|chậm\s+nhất(?:\s+là)?|tối\s+đa|là)\s*)*$",
    re.IGNORECASE,
)
UNITS: dict[str, TimeUnit] = {
    "ngày làm việc": TimeUnit.WORKING_DAYS,
    "giờ làm việc": TimeUnit.WORKING_HOURS,
    "ngày": TimeUnit.DAYS,  # calendar days, as published ("Ngày"): docs/domain.md, Time
    "giờ": TimeUnit.WORKING_HOURS,  # flagged: the catalogue counts working hours only
    "tháng": TimeUnit.MONTHS,  # flagged
}
PUBLISHED_UNITS: dict[TimeUnit, str] = {
    TimeUnit.WORKING_DAYS: "Ngày làm việc",
    TimeUnit.DAYS: "Ngày",
    TimeUnit.WORKING_HOURS: "Giờ làm việc",
    TimeUnit.MONTHS: "Tháng",
}
NOT_PUBLISHED = "Không có thông tin"  # what the national database shows for a missing limit


@dataclass(frozen=True)
class ParsedTimeLimit:
    """A published time limit as read: `amount` and `unit` are None when it gives no sure reading."""

    text: str
    amount: Decimal | None
    unit: TimeUnit | None
    condition: str = ""  # what the limit counts from or applies to: "kể từ ngày nhận đủ hồ sơ hợp lệ"
    needs_review: bool = False
    reason: str = ""  # why it needs review, in Vietnamese; "" when it was read for sure
    same_day: bool = False  # "trong ngày": the result is promised the day the dossier is received


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _amount(number: str) -> Decimal | None:
    number = " ".join(number.lower().split())
    if number in NUMBER_WORDS:
        return NUMBER_WORDS[number]
    if number in FRACTIONS:
        return FRACTIONS[number]
    try:
        if "/" in number:
            top, bottom = (Decimal(part.strip()) for part in number.split("/"))
            return top / bottom if bottom else None
        return Decimal(number.replace(",", "."))
    except InvalidOperation:
        return None


def _unit_key(unit: str) -> str:
    return " ".join(unit.lower().split())


def _shown(amount: Decimal) -> str:
    """4 → "4", 0.50 → "0,5" (the Vietnamese decimal comma, as the national database writes it)."""
    value = amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount.normalize()
    return format(value, "f").replace(".", ",")


def _quantities(text: str) -> list[tuple[Decimal | None, str, re.Match[str]]]:
    return [(_amount(m["number"]), _unit_key(m["unit"]), m) for m in QUANTITY.finditer(text)]


def _review(text: str, reason: str, *, same_day: bool = False) -> ParsedTimeLimit:
    return ParsedTimeLimit(
        text=text, amount=None, unit=None, needs_review=True, reason=reason, same_day=same_day
    )


def parse_time_limit(text: str) -> ParsedTimeLimit:
    """Read a published time limit; see the module's docstring for what is flagged and why."""
    raw = text or ""
    clean = _normal(raw)
    if NOTHING.match(clean):
        return _review(raw, _("Không công bố thời hạn giải quyết."))
    bare = BARE_NUMBER.match(clean)
    if bare:
        return ParsedTimeLimit(
            text=raw,
            amount=_amount(bare[1]),
            unit=TimeUnit.WORKING_DAYS,
            needs_review=True,
            reason=_(
                "Chỉ ghi số, không ghi đơn vị: hiểu là ngày làm việc; cần đối chiếu quyết định công bố."
            ),
        )
    found = _quantities(clean)
    ranged = RANGE.search(clean)
    if ranged and (not found or ranged.start() <= found[0][2].start()):
        return _review(
            raw, _("Ghi một khoảng thời hạn (“%(range)s”): cần chọn thời hạn áp dụng.") % {"range": ranged[0]}
        )
    if not found:
        if SAME_DAY.search(clean):
            return _review(
                raw,
                _(
                    "Trả kết quả trong ngày: thời hạn không ghi số lượng, cần chọn thời hạn "
                    "(ví dụ số giờ làm việc)."
                ),
                same_day=True,
            )
        return _review(raw, _("Không đọc được thời hạn: “%(text)s”.") % {"text": clean})
    distinct = {(amount, unit) for amount, unit, _m in found}
    if len(distinct) > 1:
        listed = "; ".join(m[0] for _a, _u, m in found)
        return _review(
            raw, _("Ghi nhiều thời hạn (%(limits)s): cần chọn thời hạn áp dụng.") % {"limits": listed}
        )
    amount, unit_text, first = found[0]
    unit = UNITS.get(unit_text)
    if amount is None or unit is None:
        return _review(
            raw,
            _(
                "Đơn vị “%(unit)s” không có trong danh mục thời hạn "
                "(ngày làm việc, ngày, giờ làm việc, tháng)."
            )
            % {"unit": first["unit"]},
        )
    lead = clean[: first.start()].strip(" :,-–")
    condition = clean[found[-1][2].end() :].strip(" ,.;:-–")
    if OTHER_NUMBER.search(lead):
        listed = "; ".join([lead, first[0]])
        return _review(
            raw, _("Ghi nhiều thời hạn (%(limits)s): cần chọn thời hạn áp dụng.") % {"limits": listed}
        )
    reasons: list[str] = []
    if OTHER_NUMBER.search(condition):
        reasons.append(
            _("Phần điều kiện có số khác (“%(condition)s”): cần đối chiếu.") % {"condition": condition}
        )
    if lead and not LEAD_WORDS.match(lead):
        reasons.append(_("Có từ không đọc được trước thời hạn: “%(words)s”.") % {"words": lead})
    if unit_text == "giờ":
        reasons.append(_("Ghi “giờ”, không ghi “giờ làm việc”: hiểu là giờ làm việc, cần đối chiếu."))
    if unit == TimeUnit.MONTHS:
        reasons.append(_("Thời hạn tính bằng tháng: cần kiểm tra cách tính trước khi áp dụng."))
    if unit == TimeUnit.DAYS and amount < 1:
        reasons.append(
            _("Thời hạn dưới một ngày ghi bằng “ngày”: cần xác định là ngày làm việc hay ngày theo lịch.")
        )
    if amount <= 0:
        reasons.append(_("Thời hạn bằng 0."))
    return ParsedTimeLimit(
        text=raw,
        amount=amount,
        unit=unit,
        condition=condition,
        needs_review=bool(reasons),
        reason=" ".join(reasons),
    )


def published_text(amount: Decimal | None, unit: str) -> str:
    """A limit in the national database's wording: "15 Ngày làm việc", "0,5 Ngày làm việc", "Không có
    thông tin" when there is none. `parse_time_limit` reads it back to the same amount and unit."""
    if amount is None or not unit:
        return NOT_PUBLISHED
    return f"{_shown(Decimal(amount))} {PUBLISHED_UNITS[TimeUnit(unit)]}"
