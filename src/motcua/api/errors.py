"""One error body for the whole API, in the request language and in both Vietnamese and English.

    {"code": "...", "message": "...", "message_vi": "...", "message_en": "...",
     "fields": {...}, "field_codes": {...}, "details": {...}}

Codes are for programs, messages for people (core.errors): `fields` maps an input path
("applicant.id_number") to a message for people, `field_codes` maps the same paths to a stable code
("required", "too_short", "must_be_later"); `details` carries the remaining facts of a refused act (e.g. the
dossier's `current_version` on a conflict). Services raise `DomainError`s with lazy Vietnamese messages;
DRF's own errors get Vietnamese messages here, keyed by their code.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from motcua.core.errors import DomainError, error_body


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"
    http_status = 422


# Messages for DRF's errors (its `default_code`s), with the code the API reports.
DRF_ERRORS: dict[str, tuple[str, Promise]] = {
    "invalid": ("validation_failed", _("Dữ liệu gửi lên chưa hợp lệ.")),
    "parse_error": ("parse_error", _("Nội dung gửi lên không đúng định dạng JSON.")),
    "not_authenticated": (
        "not_authenticated",
        _("Bạn cần đăng nhập (hoặc gửi token) để dùng chức năng này."),
    ),
    "authentication_failed": ("authentication_failed", _("Thông tin xác thực không hợp lệ.")),
    "permission_denied": ("permission_denied", _("Bạn không có quyền thực hiện thao tác này.")),
    "not_found": ("not_found", _("Không tìm thấy.")),
    "method_not_allowed": ("method_not_allowed", _("Phương thức không được hỗ trợ.")),
    "not_acceptable": ("not_acceptable", _("Không đáp ứng được định dạng yêu cầu (Accept).")),
    "unsupported_media_type": (
        "unsupported_media_type",
        _("Định dạng nội dung không được hỗ trợ; hãy gửi JSON."),
    ),
    "throttled": ("throttled", _("Quá nhiều yêu cầu; vui lòng thử lại sau.")),
}


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_messages_of(exc))

    if isinstance(exc, DomainError):
        response = _domain_response(exc, context)
    elif isinstance(exc, exceptions.APIException):
        response = _drf_response(exc)
    else:
        return None  # a bug: let Django answer 500 and log it
    set_rollback()
    return response


def _domain_response(exc: DomainError, context: Mapping[str, Any]) -> Response:
    aliases = getattr(context.get("view"), "service_field_names", {})
    fields = {aliases.get(name, name): message for name, message in exc.field_messages().items()}
    codes = {aliases.get(name, name): code for name, code in exc.field_codes().items()}
    return Response(
        error_body(
            exc.code, exc.message, fields=fields or None, field_codes=codes, details=_plain(exc.details)
        ),
        status=exc.http_status,
    )


def _drf_response(exc: exceptions.APIException) -> Response:
    default_code = exc.default_code if isinstance(exc, exceptions.ValidationError) else _code_of(exc)
    message: str | Promise | None
    code, message = DRF_ERRORS.get(default_code, (default_code, None))
    fields = codes = None
    if isinstance(exc, exceptions.ValidationError):
        code, message = DRF_ERRORS["invalid"]
        fields = flatten(exc.detail)
        codes = {name: value.split(" ")[0] for name, value in flatten(exc.get_codes()).items()}
    elif message is None:
        message = str(exc.detail)
    headers = {}
    auth_header = getattr(exc, "auth_header", None)  # NotAuthenticated, AuthenticationFailed
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)  # Throttled
    if wait:
        headers["Retry-After"] = str(int(wait))
    return Response(
        error_body(code, message, fields=fields, field_codes=codes), status=exc.status_code, headers=headers
    )


def flatten(detail: Any, prefix: str = "") -> dict[str, str]:
    """DRF's nested error detail as {"applicant.id_number": "message"}."""
    if isinstance(detail, Mapping):
        flat: dict[str, str] = {}
        for key, value in detail.items():
            flat |= flatten(value, f"{prefix}.{key}" if prefix else str(key))
        return flat
    if isinstance(detail, list):
        if all(not isinstance(item, Mapping | list) for item in detail):
            return {prefix or "non_field_errors": " ".join(str(item) for item in detail)}
        flat = {}
        for index, item in enumerate(detail):
            if item:
                flat |= flatten(item, f"{prefix}.{index}" if prefix else str(index))
        return flat
    return {prefix or "non_field_errors": str(detail)}


def _code_of(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def _messages_of(exc: DjangoValidationError) -> Any:
    return exc.message_dict if hasattr(exc, "error_dict") else exc.messages


def _plain(details: dict[str, Any]) -> dict[str, Any]:
    """Only JSON-safe facts go out (lazy strings rendered, objects dropped)."""
    plain: dict[str, Any] = {}
    for key, value in details.items():
        if isinstance(value, Promise):
            plain[key] = str(value)
        elif value is None or isinstance(value, str | int | float | bool):
            plain[key] = value
    return plain
