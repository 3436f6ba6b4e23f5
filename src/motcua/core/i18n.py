"""Translation helpers."""

from typing import Any

from django.utils.functional import lazy


def _format(message: Any, params: dict[str, Any]) -> str:
    return str(message) % params


# `_("… %(x)s") % {...}` renders at once in the active language; `interpolate` stays lazy, so an error
# raised during a Vietnamese request can still be shown in English (the API sends both).
interpolate = lazy(_format, str)
