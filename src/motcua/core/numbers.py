"""Numbers as the province's reports print them: a decimal comma, rounded half up ("42,9 %").

Half up on the decimal value, not the binary float: 2.25 → "2,3", 0.9996 → "100,0 %". Python's round()
and str.format round half to even on the binary value, so 2.25 would print "2,2"."""

from decimal import ROUND_HALF_UP, Decimal


def rounded(value: float | int | Decimal, digits: int) -> Decimal:
    """`value` rounded half up on its decimal value to `digits` decimals."""
    exact = (
        value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
    )
    return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def decimal_vi(value: float | int | Decimal, digits: int) -> str:
    """`value` with `digits` decimals, rounded half up, with a decimal comma and no grouping ("2,3")."""
    result = rounded(value, digits)
    if result == 0:
        result = abs(result)  # no "-0,0"
    return f"{result:f}".replace(".", ",")


def percent(ratio: float | Decimal, digits: int = 1) -> str:
    """A ratio as a percentage: 3/7 → "42,9 %"."""
    exact = ratio if isinstance(ratio, Decimal) else Decimal(repr(ratio))
    return f"{decimal_vi(exact * 100, digits)} %"
