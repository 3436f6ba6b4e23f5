"""The API's JSON parser: DRF's, refusing bodies nested too deep and strings holding a NUL character.

Python's JSON decoder recurses once per level: a body of a few thousand `[` raised RecursionError (a 500),
and a deep but parseable body recursed again in the serializers. No input of this API nests more than a
few levels. PostgreSQL text cannot hold NUL ("\\u0000" in JSON), so such a string is refused here too, as
`core.middleware.RefuseNulBytesMiddleware` refuses it in paths, queries and forms.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers

from motcua.core.errors import ValidationFailed
from motcua.core.i18n import interpolate

MAX_DEPTH = 20
NUL = "\x00"


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        check_shape(data)
        return data


def check_shape(data: Any) -> None:
    """Refuse nesting deeper than MAX_DEPTH objects/arrays, and NUL in any key or string (iteratively)."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if NUL in value:
                raise _nul()
        elif isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise _too_deep()
            if isinstance(value, dict):
                if any(NUL in key for key in value):
                    raise _nul()
                stack.extend((item, depth + 1) for item in value.values())
            else:
                stack.extend((item, depth + 1) for item in value)


def _too_deep() -> ValidationFailed:
    return ValidationFailed(
        interpolate(_("Nội dung JSON lồng nhau quá sâu (tối đa %(depth)s cấp)."), {"depth": MAX_DEPTH}),
        code="json_too_deep",
    )


def _nul() -> ValidationFailed:
    return ValidationFailed(
        _("Nội dung gửi lên chứa ký tự không hợp lệ (ký tự NUL)."), code="invalid_character"
    )
