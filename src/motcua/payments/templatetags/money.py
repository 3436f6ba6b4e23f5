"""Amounts of money in templates, the one way pages show them (back office, portal, payments)."""

from django import template

from motcua.core.formatting import format_vnd, group_thousands

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """150000 → "150.000 đồng"."""
    return "" if amount is None else format_vnd(int(amount))


@register.filter
def thousands(amount: int | None) -> str:
    """150000 → "150.000", for a sentence that names the currency itself."""
    return "" if amount is None else group_thousands(int(amount))
