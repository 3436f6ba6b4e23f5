"""Time limits as published: the wording of the national procedure database read into amount and unit."""

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.catalog.time_limits import parse_time_limit, published_text
from motcua.core.calendar import TimeUnit
from motcua.demo.catalogue import DATA_FILE

WD, D, WH, M = TimeUnit.WORKING_DAYS, TimeUnit.DAYS, TimeUnit.WORKING_HOURS, TimeUnit.MONTHS
SHARED_DATA = DATA_FILE  # the repository's copy of shared/data/procedures.json

# (published text, amount, unit, needs review, condition kept)
CASES = [
    ("15 ngày làm việc", "15", WD, False, ""),
    ("03 ngày", "3", D, False, ""),
    ("05 ngày kể từ ngày nhận đủ hồ sơ hợp lệ", "5", D, False, "kể từ ngày nhận đủ hồ sơ hợp lệ"),
    ("Trong thời hạn 10 ngày làm việc", "10", WD, False, ""),
    ("Không quá 20 ngày", "20", D, False, ""),
    ("04 giờ làm việc", "4", WH, False, ""),
    ("30 ngày", "30", D, False, ""),
    ("15 Ngày làm việc", "15", WD, False, ""),
    ("10 Ngày", "10", D, False, ""),
    ("0,5 Ngày làm việc", "0.5", WD, False, ""),
    ("Chậm nhất 07 ngày làm việc.", "7", WD, False, ""),
    ("năm ngày làm việc", "5", WD, False, ""),
    (
        "Trong thời hạn 20 ngày làm việc, kể từ ngày nhận đủ hồ sơ theo quy định",
        "20",
        WD,
        False,
        "kể từ ngày nhận đủ hồ sơ theo quy định",
    ),
    ("07 ngày làm việc (đối với trường hợp cấp mới)", "7", WD, False, "(đối với trường hợp cấp mới)"),
    # a reading is given, flagged
    ("1", "1", WD, True, ""),  # no unit: the national database's bare figure
    ("½ ngày", "0.5", D, True, ""),  # half a calendar day?
    ("01 tháng", "1", M, True, ""),
    ("8 Giờ", "8", WH, True, ""),  # hours, not said to be working hours
    ("Sau 10 ngày", "10", D, True, ""),  # "sau" is not a maximum
    (
        "10 ngày làm việc kể từ ngày nhận đủ hồ sơ (Điều 5)",
        "10",
        WD,
        True,
        "kể từ ngày nhận đủ hồ sơ (Điều 5)",
    ),
    # no reading
    ("trong ngày", None, None, True, ""),
    ("Ngay trong ngày", None, None, True, ""),
    (
        "07 ngày làm việc (đối với trường hợp cấp mới); 15 ngày đối với trường hợp cấp lại",
        None,
        None,
        True,
        "",
    ),
    ("3–10", None, None, True, ""),
    ("từ 3 đến 5 ngày làm việc", None, None, True, ""),
    ("Không có thông tin", None, None, True, ""),
    ("", None, None, True, ""),
    ("2 tuần", None, None, True, ""),
    ("05 năm", None, None, True, ""),
    ("Theo quy định của pháp luật", None, None, True, ""),
]


@pytest.mark.parametrize(("text", "amount", "unit", "needs_review", "condition"), CASES)
def test_published_wordings(text, amount, unit, needs_review, condition) -> None:
    parsed = parse_time_limit(text)
    assert parsed.amount == (Decimal(amount) if amount is not None else None)
    assert parsed.unit == unit
    assert parsed.needs_review is needs_review
    assert parsed.condition == condition
    assert bool(parsed.reason) is needs_review  # a flag always says why


def test_reasons_say_what_to_check() -> None:
    assert "ngày làm việc" in parse_time_limit("1").reason
    assert "nhiều thời hạn" in parse_time_limit("07 ngày làm việc; 15 ngày").reason
    assert "tháng" in parse_time_limit("01 tháng").reason
    assert "trong ngày" in parse_time_limit("Ngay trong ngày").reason
    assert parse_time_limit("Ngay trong ngày").same_day
    assert not parse_time_limit("15 ngày làm việc").same_day
    assert "tuần" in parse_time_limit("2 tuần").reason
    assert "“Sau”" in parse_time_limit("Sau 10 ngày").reason


def test_the_same_limit_twice_is_one_limit() -> None:
    parsed = parse_time_limit("10 ngày làm việc; trong thời hạn 10 ngày làm việc kể từ ngày nhận đủ hồ sơ")
    assert (parsed.amount, parsed.unit, parsed.needs_review) == (Decimal(10), WD, False)


# How the national database shows each of the shared procedures' limits (their `time_limit.note`s say it):
# by default "<amount> Ngày làm việc" / "<amount> Ngày"; these are the exceptions.
SHOWN = {
    "1.001193": "1",  # "CSDL hiển thị '1' … (không kèm đơn vị)"
    "1.000894": "1",
    "1.000656": "1",
    "1.004873": "3",
    "1.001022": "3",
    "2.000815": "Không có thông tin",
    "2.000884": "Không có thông tin",
    "1.001612": "03 ngày làm việc",  # the column says nothing; the steps say "03 ngày làm việc"
    "1.013225": "15 Ngày",  # the counter's row; online and post say 20 (see below)
    "1.013978": "20 Ngày làm việc",  # the post's row; online 17, counter 27
    # the column is unreadable; the steps give 05, then 10 if checked, then 03 working days
    "1.005136": "05 ngày làm việc; nếu phải xác minh: 10 ngày làm việc; cấp giấy trong 03 ngày làm việc",
    "1.014199": "3–10",  # "Thời gian: 3–10" (unit unknown)
}
BARE = {"1.001193", "1.000894", "1.000656", "1.004873", "1.001022"}
UNIT_WORDS = {"working_days": "Ngày làm việc", "days": "Ngày"}


def _shown(item: dict) -> str:
    limit = item["time_limit"]
    return SHOWN.get(item["code"]) or f"{limit['amount']} {UNIT_WORDS[limit['unit']]}"


def test_every_shared_time_limit() -> None:
    items = json.loads(SHARED_DATA.read_text(encoding="utf-8"))
    assert len(items) == 25
    for item in items:
        limit, parsed = item["time_limit"], parse_time_limit(_shown(item))
        if limit["amount"] is None:
            assert parsed.needs_review and parsed.amount is None, item["code"]
        else:
            assert parsed.amount == Decimal(limit["amount"]), item["code"]
            assert parsed.unit == limit["unit"], item["code"]
            assert parsed.needs_review is (item["code"] in BARE), item["code"]


def test_limits_by_channel_need_a_choice() -> None:
    # 1.013225 and 1.013978 publish one limit per submission channel.
    for text in (
        "Trực tiếp: 15 Ngày; Trực tuyến: 20 Ngày",
        "Trực tuyến 17, bưu chính 20, trực tiếp 27 ngày làm việc",
    ):
        parsed = parse_time_limit(text)
        assert parsed.needs_review and parsed.amount is None, text


@given(
    n=st.integers(min_value=1, max_value=999),
    unit=st.sampled_from([("ngày làm việc", WD), ("Ngày làm việc", WD), ("ngày", D), ("giờ làm việc", WH)]),
    lead=st.sampled_from(["", "Trong thời hạn ", "Không quá ", "Chậm nhất ", "trong vòng "]),
    condition=st.sampled_from(["", "kể từ ngày nhận đủ hồ sơ hợp lệ", "(trường hợp cấp lại)"]),
)
def test_any_amount_reads_back(n, unit, lead, condition) -> None:
    words, expected = unit
    text = f"{lead}{n:02d} {words} {condition}".strip()
    parsed = parse_time_limit(text)
    assert (parsed.amount, parsed.unit, parsed.needs_review, parsed.condition) == (
        Decimal(n),
        expected,
        False,
        condition,
    )


@given(
    amount=st.decimals(min_value=Decimal("0.25"), max_value=Decimal(999), places=2),
    unit=st.sampled_from([WD, WH, D]),
)
def test_published_text_reads_back(amount, unit) -> None:
    parsed = parse_time_limit(published_text(amount, unit))
    assert (parsed.amount, parsed.unit) == (amount, unit)
    assert parsed.needs_review is (unit == D and amount < 1)


def test_published_text() -> None:
    assert published_text(Decimal("15.00"), "working_days") == "15 Ngày làm việc"
    assert published_text(Decimal("0.50"), "working_days") == "0,5 Ngày làm việc"
    assert published_text(Decimal(4), "working_hours") == "4 Giờ làm việc"
    assert published_text(Decimal(1), "months") == "1 Tháng"
    assert published_text(None, "") == "Không có thông tin"


def test_reasons_are_translated() -> None:
    from django.utils import translation

    with translation.override("en"):
        assert parse_time_limit("1").reason == (
            "A number without a unit: read as working days; check against the publication decision."
        )
