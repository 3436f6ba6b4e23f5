"""`{% vneid_available as vneid %}`: whether pages offer "sign in / verify with VNeID" (core.identity)."""

from django import template

from motcua.core import identity

register = template.Library()


@register.simple_tag
def vneid_available() -> bool:
    return identity.vneid_available()
