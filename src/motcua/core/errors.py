"""Errors raised by services; the API and the web pages turn them into messages for people."""

from typing import Any

from django.utils import translation
from django.utils.functional import Promise


class DomainError(Exception):
    """A refused act: nothing was changed. `message` is a lazy gettext string (Vietnamese source)."""

    code = "invalid"
    http_status = 400

    def __init__(self, message: str | Promise, *, code: str | None = None, **details: Any) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.details = details


class ValidationFailed(DomainError):
    code = "validation_failed"


class PermissionDenied(DomainError):
    code = "permission_denied"
    http_status = 403


class NotFound(DomainError):
    code = "not_found"
    http_status = 404


class InvalidTransition(DomainError):
    code = "invalid_transition"
    http_status = 409


class ConflictError(DomainError):
    """Someone else changed the record since the caller loaded it."""

    code = "conflict"
    http_status = 409


def error_body(
    code: str,
    message: str | Promise,
    *,
    fields: dict[str, str] | None = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The API's error body (motcua.api.errors): `message` is a lazy gettext string (rendered per language)
    or an already rendered one."""
    with translation.override("vi"):
        message_vi = str(message)
    with translation.override("en"):
        message_en = str(message)
    body: dict[str, Any] = {
        "code": code,
        "message": str(message),  # the request's language (LocaleMiddleware: Accept-Language, cookie)
        "message_vi": message_vi,
        "message_en": message_en,
    }
    if fields:
        body["fields"] = fields
    if details:
        body["details"] = details
    return body
