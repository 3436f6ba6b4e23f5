"""Paging of the list endpoints: `limit` and `offset`, checked instead of trusted.

DRF's LimitOffsetPagination passes any `limit` or `offset` digits to the database: one above 2^63 failed
there with a 500. Here a value that is not a whole number, or is negative, is refused with 400; `limit` is
capped at MAX_LIMIT rows a page and `offset` may not pass MAX_OFFSET.
"""

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

from motcua.core.errors import FieldError, ValidationFailed
from motcua.core.i18n import interpolate
from motcua.dossiers.models import Dossier

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
    return ValidationFailed(message, code="invalid_pagination", fields={name: FieldError("invalid")})


class NewestFirstPagination(LimitOffsetPagination):
    """The dossier list, newest first: `limit`/`offset` as everywhere, and `after` (the `next` link's
    cursor) that continues after the last row seen through the (submitted_at, id) index, so a client that
    follows `next` never makes the database skip rows however deep it pages."""

    after_query_param = "after"
    ordering = ("-submitted_at", "-id")

    # Set by paginate_queryset, before get_next_link reads them.
    request: Request
    offset: int
    count: int

    # Only for the dossier list: narrower than BasePagination's (any QuerySet or sequence).
    def paginate_queryset(  # type: ignore[override]
        self, queryset: QuerySet[Dossier], request: Request, view: Any = None
    ) -> list[Dossier] | None:
        self.request = request
        self.after = _cursor(request, self.after_query_param)
        queryset = queryset.order_by(*self.ordering)
        if self.after is None:
            page = super().paginate_queryset(queryset, request, view)
        else:
            self.limit, self.offset = self.get_limit(request) or MAX_LIMIT, 0
            self.count = self.get_count(queryset)
            submitted_at, pk = self.after
            after = queryset.filter(  # the first condition is the index's range, the second breaks ties
                Q(submitted_at__lte=submitted_at),
                Q(submitted_at__lt=submitted_at) | Q(submitted_at=submitted_at, pk__lt=pk),
            )
            page = list(after[: self.limit])
        self.page = page or []
        return page

    def get_next_link(self) -> str | None:
        if len(self.page) < (self.limit or 0) or (
            self.after is None and self.offset + len(self.page) >= self.count
        ):
            return None
        last = self.page[-1]
        cursor = f"{last.submitted_at.isoformat()}_{last.pk}"
        url = self.request.build_absolute_uri()
        url = remove_query_param(url, self.offset_query_param)
        url = replace_query_param(url, self.limit_query_param, self.limit)
        return replace_query_param(url, self.after_query_param, cursor)

    def get_previous_link(self) -> str | None:
        return None if self.after is not None else super().get_previous_link()

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.after_query_param,
                "required": False,
                "in": "query",
                "description": "Continue after this row (the cursor of the `next` link).",
                "schema": {"type": "string", "maxLength": 80},
            },
        ]


def _cursor(request: Request, name: str) -> tuple[datetime, int] | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    moment, _sep, pk = raw.rpartition("_")
    try:
        at = datetime.fromisoformat(moment)
    except ValueError:
        at = None
    if at is None or at.tzinfo is None or not (pk.isascii() and pk.isdigit() and len(pk) <= 19):
        raise _refused(name, _("Con trỏ phân trang (after) không hợp lệ; hãy dùng liên kết “next”."))
    return at, int(pk)
