"""Translation helpers."""

from typing import TYPE_CHECKING, Any, cast

from django.utils.functional import lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, StrPromise


def _format(message: "StrOrPromise", params: dict[str, Any]) -> str:
    return str(message) % params


_lazy_format = lazy(_format, str)


def interpolate(message: "StrOrPromise", params: dict[str, Any]) -> "StrPromise":
    """`_("… %(x)s") % {...}` renders at once in the active language; `interpolate` stays lazy, so an error
    raised during a Vietnamese request can still be shown in English (the API sends both)."""
    # The stubs type lazy() as returning what the function returns; it returns a lazy string.
    return cast("StrPromise", _lazy_format(message, params))
