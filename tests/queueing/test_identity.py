"""Who a ticket is for: the chip ID card's QR code, or the ID number and name typed at the kiosk."""

from datetime import date

import pytest

from motcua.core.errors import ValidationFailed
from motcua.queueing.identity import Holder, parse_card_qr, typed_holder

TODAY = date(2026, 3, 2)
AN = "040090001234|186123456|Nguyễn Văn An|15031990|Nam|Xóm 3, Hưng Lộc, Vinh, Nghệ An|20042021"
BINH = "040301012345||Trần Thị Bình|02022001|Nữ|Số 12 Lê Lợi, Vinh, Nghệ An|10052021"


def test_a_card_qr_gives_the_holder():
    assert parse_card_qr(AN, today=TODAY) == Holder(
        id_number="040090001234", name="Nguyễn Văn An", birth_date=date(1990, 3, 15), identified_by="card_qr"
    )
    # A card without an old ID number (born 2001, female: 4th digit 3), and the scanner's line ending.
    binh = parse_card_qr(BINH + "\r\n", today=TODAY)
    assert (binh.id_number, binh.name, binh.birth_date, binh.id_tail) == (
        "040301012345",
        "Trần Thị Bình",
        date(2001, 2, 2),
        "2345",
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Chưa đọc được mã QR"),
        ("https://dichvucong.gov.vn/p/home", "Đây không phải mã QR của thẻ căn cước"),
        ("040090001234|186123456|Nguyễn Văn An|15031990|Nam|Vinh", "Đây không phải mã QR"),  # 6 fields
        (AN.replace("040090001234", "04009000123"), "số định danh phải gồm đúng 12 chữ số"),
        (AN.replace("186123456", "18612345X"), "chứng minh nhân dân cũ phải gồm 9 chữ số"),
        (AN.replace("Nguyễn Văn An", ""), "họ và tên không đọc được"),
        (AN.replace("Nguyễn Văn An", "Nguyễn V4n An"), "họ và tên không đọc được"),
        (AN.replace("15031990", "31021990"), "ngày sinh không phải một ngày"),
        (AN.replace("20042021", "2004202"), "ngày cấp không phải một ngày"),
        (AN.replace("20042021", "20042027"), "ngày sinh hoặc ngày cấp không đúng"),  # issued after today
        (AN.replace("|Nam|", "|Male|"), "giới tính phải là Nam hoặc Nữ"),
        (AN.replace("|Nam|", "|Nữ|"), "không khớp với ngày sinh và giới tính"),  # 4th digit 0: a man
        (AN.replace("15031990", "15031991"), "không khớp với ngày sinh"),  # the number says 1990
    ],
)
def test_a_bad_qr_is_refused_with_the_reason(text, says):
    with pytest.raises(ValidationFailed) as refused:
        parse_card_qr(text, today=TODAY)
    assert says in str(refused.value.message)
    assert refused.value.field_codes() == {"qr": "invalid"}


def test_typed_entry_needs_twelve_digits_and_a_name():
    holder = typed_holder(id_number=" 040090001234 ", name="  nguyễn   văn an ")
    assert holder == Holder("040090001234", "nguyễn văn an", None, "typed")
    assert typed_holder(id_number="040090001234", name="An", birth_date=date(1950, 1, 1)).birth_date == date(
        1950, 1, 1
    )
    for id_number, name, field, says in [
        ("04009000123", "An", "id_number", "đúng 12 chữ số"),
        ("04009000123a", "An", "id_number", "đúng 12 chữ số"),
        ("040090001234", " ", "name", "Hãy nhập họ và tên"),
        ("040090001234", "x" * 101, "name", "quá dài"),
        ("040090001234", "An <script>", "name", "chỉ gồm chữ cái"),
    ]:
        with pytest.raises(ValidationFailed) as refused:
            typed_holder(id_number=id_number, name=name)
        assert says in str(refused.value.message) and refused.value.field_codes() == {field: "invalid"}
