"""Who takes a ticket: the chip ID card's QR code scanned at the kiosk, or the ID number and name typed.

The QR code of a chip ID card (căn cước công dân / căn cước) holds seven fields separated by "|":
"ID12|oldID9|Full name|DDMMYYYY birth|Gender|Address|DDMMYYYY issue", e.g.
"040090001234|186123456|Nguyễn Văn An|15031990|Nam|Xóm 3, Hưng Lộc, Vinh, Nghệ An|20042021". The 12-digit
number itself says the century of birth and the gender (its 4th digit) and the year (5th and 6th): a scan
that contradicts itself is refused rather than trusted.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import FieldError, ValidationFailed

ID_NUMBER = re.compile(r"\d{12}")
OLD_ID_NUMBER = re.compile(r"\d{9}")
NAME_MAX_LENGTH = 100
CARD_FIELDS = 7
QR_MAX_LENGTH = 500
GENDERS = {"nam": 0, "nữ": 1}  # the 4th digit: 0/1 born 1900–1999, 2/3 2000–2099, … (even: male)


@dataclass(frozen=True)
class Holder:
    """The person a ticket is for. `identified_by`: a `Ticket.Identified` value (card_qr, typed, booking)."""

    id_number: str
    name: str
    birth_date: date | None
    identified_by: str

    @property
    def id_tail(self) -> str:
        """The last four digits: what the counter page shows of the number."""
        return self.id_number[-4:]


def _refuse(message: str | Promise, field: str = "qr") -> ValidationFailed:
    return ValidationFailed(message, fields={field: FieldError("invalid")})


def clean_name(name: str) -> str:
    """One space between words; letters (any script), spaces, apostrophes and hyphens only."""
    name = " ".join(name.split())
    if not name:
        raise _refuse(_("Hãy nhập họ và tên."), "name")
    if len(name) > NAME_MAX_LENGTH:
        raise _refuse(_("Họ và tên quá dài."), "name")
    if any(not (ch.isalpha() or ch in " '-") for ch in name):
        raise _refuse(_("Họ và tên chỉ gồm chữ cái."), "name")
    return name


def check_id_number(id_number: str, field: str = "id_number") -> str:
    id_number = id_number.strip()
    if not ID_NUMBER.fullmatch(id_number):
        raise _refuse(_("Số định danh cá nhân phải gồm đúng 12 chữ số."), field)
    return id_number


def _card_date(text: str, what: str | Promise) -> date:
    if re.fullmatch(r"\d{8}", text):
        try:
            return date(int(text[4:]), int(text[2:4]), int(text[:2]))
        except ValueError:
            pass
    raise _refuse(_("Mã QR không hợp lệ: %(what)s không phải một ngày (ngàythángnăm).") % {"what": what})


def parse_card_qr(text: str, *, today: date | None = None) -> Holder:
    """The holder of a chip ID card from its QR text; anything malformed is refused with the reason."""
    today = today or date.today()
    text = text.strip()
    if not text:
        raise _refuse(_("Chưa đọc được mã QR. Hãy đưa mã QR ở mặt trước thẻ căn cước vào máy quét."))
    if len(text) > QR_MAX_LENGTH or text.count("|") != CARD_FIELDS - 1:
        raise _refuse(
            _("Đây không phải mã QR của thẻ căn cước. Hãy quét mã QR trên thẻ, hoặc nhập số định danh.")
        )
    id_number, old_id, name, born, gender, _address, issued = (part.strip() for part in text.split("|"))
    if not ID_NUMBER.fullmatch(id_number):
        raise _refuse(_("Mã QR không hợp lệ: số định danh phải gồm đúng 12 chữ số."))
    if old_id and not OLD_ID_NUMBER.fullmatch(old_id):
        raise _refuse(_("Mã QR không hợp lệ: số chứng minh nhân dân cũ phải gồm 9 chữ số."))
    try:
        name = clean_name(name)
    except ValidationFailed:
        raise _refuse(_("Mã QR không hợp lệ: họ và tên không đọc được.")) from None
    birth_date = _card_date(born, _("ngày sinh"))
    issue_date = _card_date(issued, _("ngày cấp"))
    if birth_date > today or issue_date > today or issue_date < birth_date:
        raise _refuse(_("Mã QR không hợp lệ: ngày sinh hoặc ngày cấp không đúng."))
    if gender.lower() not in GENDERS:
        raise _refuse(_("Mã QR không hợp lệ: giới tính phải là Nam hoặc Nữ."))
    century_digit = 2 * ((birth_date.year - 1900) // 100) + GENDERS[gender.lower()]
    if int(id_number[3]) != century_digit or id_number[4:6] != f"{birth_date.year % 100:02d}":
        raise _refuse(_("Mã QR không hợp lệ: số định danh không khớp với ngày sinh và giới tính."))
    return Holder(id_number=id_number, name=name, birth_date=birth_date, identified_by="card_qr")


def typed_holder(*, id_number: str, name: str, birth_date: date | None = None) -> Holder:
    """The holder from the ID number and name typed at the kiosk (the birth date is optional)."""
    if birth_date is not None and birth_date > date.today():
        raise _refuse(_("Ngày sinh không được sau hôm nay."), "birth_date")
    return Holder(
        id_number=check_id_number(id_number),
        name=clean_name(name),
        birth_date=birth_date,
        identified_by="typed",
    )


def check_holder(holder: Holder) -> Holder:
    """A holder built elsewhere (an appointment's) checked as the kiosk's are: its fields cleaned."""
    return Holder(
        id_number=check_id_number(holder.id_number),
        name=clean_name(holder.name),
        birth_date=holder.birth_date,
        identified_by=holder.identified_by,
    )


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
