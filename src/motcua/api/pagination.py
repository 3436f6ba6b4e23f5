"""Paging of the list endpoints: `limit` and `offset`, checked instead of trusted.

DRF's LimitOffsetPagination passes any `limit` or `offset` digits to the database: one above 2^63 failed
there with a 500. Here a value that is not a whole number, or is negative, is refused with 400; `limit` is
capped at MAX_LIMIT rows a page and `offset` may not pass MAX_OFFSET.
"""

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.request import Request

from motcua.core.errors import ValidationFailed
from motcua.core.i18n import interpolate

MAX_LIMIT = 200
MAX_OFFSET = 10**9


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def get_limit(self, request: Request) -> int | None:
        limit = _whole_number(request, self.limit_query_param)
        if limit is None:
            return self.default_limit
        if limit < 1:
            raise _refused(self.limit_query_param, _("Số bản ghi mỗi trang (limit) phải từ 1 trở lên."))
        return min(limit, MAX_LIMIT)

    def get_offset(self, request: Request) -> int:
        offset = _whole_number(request, self.offset_query_param)
        if offset is None:
            return 0
        if offset > MAX_OFFSET:
            raise _refused(
                self.offset_query_param,
                interpolate(_("Vị trí bắt đầu (offset) không được vượt quá %(max)s."), {"max": MAX_OFFSET}),
            )
        return offset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"] |= {"minimum": 1}  # a larger one is accepted and capped
                parameter["description"] = (
                    f"Rows per page, at most {MAX_LIMIT} (a larger value gives {MAX_LIMIT})."
                )
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"] |= {"minimum": 0, "maximum": MAX_OFFSET}
        return parameters


def _whole_number(request: Request, name: str) -> int | None:
    """The parameter as a non-negative integer; None when absent or empty; refused when anything else."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise _refused(
            name, interpolate(_("Tham số %(name)s phải là một số nguyên không âm."), {"name": name})
        )
    digits = raw.lstrip("0") or "0"
    return int(digits) if len(digits) <= 19 else 10**19  # any such number is past every bound here


def _refused(name: str, message: str | Promise) -> ValidationFailed:
    return ValidationFailed(message, code="invalid_pagination", fields={name: message})
