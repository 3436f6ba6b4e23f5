from django import template

from motcua.catalog.notes import citizen_note

register = template.Library()


@register.filter
def note_for(note: str, officer: bool) -> str:
    """The whole note for an officer, its citizen part otherwise."""
    return note if officer else citizen_note(note)
