"""The rules of "who is late, and why", each defined once: how working time is quantised, what a median and
a 90th percentile of quantised times are, and which procedures are candidates for a shorter time limit.
The pages show these rules in words (`QUANTUM_TEXT`, `PERCENTILE_TEXT`, `CANDIDATE_TEXT`)."""

import math
from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.core.calendar import TimeUnit

SECONDS_PER_HOUR = 3600
HOURS_PER_DAY = 8  # a working day (docs/domain.md "Time")


def quantise(hours: float) -> int:
    """A working time in hours, rounded up: to whole hours up to 8 h (a working day), to multiples of 4 h
    (half a day) up to 40 h (a working week), to multiples of 8 h beyond; what exceeds a step by a
    millisecond or less counts as that step (0 → 0, 1 s → 1, 1 h → 1, 1 h 1 s → 2, 10.5 h → 12, 41 h → 48).
    Medians and percentiles are read from counts per quantised value. `quantise_sql` is the same in SQL."""
    x = (hours * SECONDS_PER_HOUR - 0.001) / SECONDS_PER_HOUR
    if x <= 8:
        return max(0, math.ceil(x))
    if x <= 40:
        return 4 * math.ceil(x / 4)
    return 8 * math.ceil(x / 8)


def quantise_sql(hours: str) -> str:
    """`quantise` in SQL (PostgreSQL and SQLite), of a column of hours."""
    x = f"(({hours} * 3600 - 0.001) / 3600)"
    return (
        f"CAST(CASE WHEN {x} <= 0 THEN 0 WHEN {x} <= 8 THEN CEIL({x}) WHEN {x} <= 40 THEN 4 * CEIL({x} / 4) "
        f"ELSE 8 * CEIL({x} / 8) END AS INTEGER)"
    )


QUANTUM_TEXT = _(
    "Thời gian làm việc được làm tròn lên: đến giờ tròn khi không quá 8 giờ (ví dụ 2 giờ 10 phút tính là "
    "3 giờ), đến bội số của 4 giờ khi không quá 40 giờ (10,5 giờ tính là 12 giờ), đến bội số của 8 giờ khi "
    "trên 40 giờ; trung vị và phân vị 90 được tính trên thời gian đã làm tròn."
)


def percentile(counts: Mapping[int, int], p: int) -> int | None:
    """The p-th percentile by nearest rank of the quantised times counted in `counts` (value → how many):
    the smallest value v such that at least ⌈p × n / 100⌉ of the n times are ≤ v. None when n = 0."""
    n = sum(counts.values())
    if n == 0:
        return None
    rank = -(-p * n // 100)
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable: the ranks add up to n")


def percentile_sql(p: int) -> str:
    """`percentile` in SQL, over rows (bucket, cum, total) of one group: `cum` the steps up to and including
    the row's bucket, `total` the group's steps. cum ≥ ⌈p × n / 100⌉ ⟺ 100 × cum ≥ p × n (cum is whole)."""
    return f"MIN(CASE WHEN 100 * cum >= {int(p)} * total THEN bucket END)"


PERCENTILE_TEXT = _(
    "Trung vị (phân vị 50) và phân vị 90 theo thứ hạng gần nhất: giá trị nhỏ nhất mà ít nhất 50 % (90 %) số "
    "bước có thời gian không vượt quá."
)

# Candidates for shortening: enough results, and the median net processing time at most this share of the
# published time limit.
CANDIDATE_MIN_RESULTS = 10
CANDIDATE_MAX_SHARE = Decimal("0.5")
CANDIDATE_TEXT = _(
    "Thủ tục có ít nhất 10 hồ sơ có kết quả trong kỳ và trung vị thời gian giải quyết thực tế (giờ làm việc, "
    "trừ thời gian tạm dừng chờ người nộp) không quá 50 % thời hạn công bố quy đổi ra giờ làm việc (1 ngày "
    "làm việc = 8 giờ; 1 ngày theo lịch = 5/7 ngày làm việc; 1 tháng = 22 ngày làm việc)."
)


def published_limit_hours(procedure: Procedure) -> Decimal | None:
    """The published time limit in working hours (as `CANDIDATE_TEXT` says), None when not published."""
    if not procedure.has_time_limit:
        return None
    amount = Decimal(procedure.time_limit_amount or 0)
    per_unit = {
        TimeUnit.WORKING_HOURS: Decimal(1),
        TimeUnit.WORKING_DAYS: Decimal(HOURS_PER_DAY),
        TimeUnit.DAYS: Decimal(HOURS_PER_DAY * 5) / 7,
        TimeUnit.MONTHS: Decimal(HOURS_PER_DAY * 22),
    }[TimeUnit(procedure.time_limit_unit)]
    return amount * per_unit


def is_candidate(results: int, median_hours: int | None, limit_hours: Decimal | None) -> bool:
    """Whether a procedure's time limit could be shortened (`CANDIDATE_TEXT`)."""
    if results < CANDIDATE_MIN_RESULTS or median_hours is None or not limit_hours:
        return False
    return Decimal(median_hours) <= CANDIDATE_MAX_SHARE * limit_hours
