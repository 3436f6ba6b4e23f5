from django import template

from motcua.catalog.selectors import format_vnd

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """150000 → "150.000 đồng"."""
    return "" if amount is None else format_vnd(int(amount))
