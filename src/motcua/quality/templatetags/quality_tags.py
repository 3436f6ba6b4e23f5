from django import template
from django.utils.formats import number_format

from motcua.core import numbers
from motcua.quality import rules

register = template.Library()


@register.filter
def pct(ratio) -> str:
    """A ratio as a percentage with one decimal, rounded half up ("95,3 %"), or "—" when its denominator is
    zero."""
    if ratio is None:
        return "—"
    return numbers.percent(ratio)


@register.filter
def decimal_vi(value, digits: int = 2) -> str:
    """A number with `digits` decimals, rounded half up, with a decimal comma ("12,35"); "—" for None."""
    if value is None:
        return "—"
    return numbers.decimal_vi(value, int(digits))


@register.simple_tag
def withdrawal_ends_processing() -> bool:
    return rules.withdrawal_ends_processing()


@register.filter
def num(value) -> str:
    if value is None:
        return "—"
    return number_format(value, 1) if isinstance(value, float) else number_format(value, force_grouping=True)


@register.filter
def attr(obj, name: str):
    return getattr(obj, name)
