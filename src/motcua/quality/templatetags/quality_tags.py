from decimal import Decimal

from django import template
from django.utils.formats import number_format

from motcua.core import numbers
from motcua.quality import exports, rules
from motcua.quality.selectors import Figures

register = template.Library()


@register.filter
def pct(ratio: float | Decimal | None) -> str:
    """A ratio as a percentage with one decimal, rounded half up ("95,3 %"), or "—" when its denominator is
    zero."""
    if ratio is None:
        return "—"
    return numbers.percent(ratio)


@register.filter
def decimal_vi(value: float | Decimal | None, digits: int = 2) -> str:
    """A number with `digits` decimals, rounded half up, with a decimal comma ("12,35"); "—" for None."""
    if value is None:
        return "—"
    return numbers.decimal_vi(value, int(digits))


@register.simple_tag
def withdrawal_ends_processing() -> bool:
    return rules.withdrawal_ends_processing()


@register.filter
def num(value: float | Decimal | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return numbers.decimal_vi(value, 1)  # rounded half up (number_format truncates)
    return number_format(value, force_grouping=True)


@register.filter
def column(row: Figures, attribute: str) -> str:
    """A column of the statistics report as the exports print it (`exports.text`), grouped thousands for
    counts; "—" when a rate has no denominator."""
    value = getattr(row, attribute)
    if value is None:
        return "—"
    if isinstance(value, int):
        return num(value)
    text = exports.text(row, attribute)
    return f"{text} %" if attribute.endswith("_rate") else text


@register.filter
def attr(obj: object, name: str) -> object:
    return getattr(obj, name)
