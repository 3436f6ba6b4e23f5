from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def pct(ratio) -> str:
    """A ratio as a percentage with one decimal ("95,3 %"), or "—" when its denominator is zero."""
    if ratio is None:
        return "—"
    return f"{number_format(ratio * 100, 1)} %"


@register.filter
def num(value) -> str:
    if value is None:
        return "—"
    return number_format(value, 1) if isinstance(value, float) else number_format(value, force_grouping=True)


@register.filter
def attr(obj, name: str):
    return getattr(obj, name)
